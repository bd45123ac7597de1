import LatchkeyCore

/// Dynamic client registration policy.
public struct RegistrationPolicy: Sendable, Codable, Equatable {
  public var dynamicRegistrationEnabled = true
  public var perMinuteGlobal = 600
  public var perMinutePerSource = 120
  /// Unused dynamically registered clients are deleted after this many seconds.
  public var idleExpiry = 30 * 86_400
  public var metadataDocumentsEnabled = true
  /// When non-empty, only metadata documents from these hosts are accepted.
  public var metadataDocumentAllowHosts: [String] = []
  /// Metadata documents from these hosts are refused.
  public var metadataDocumentDenyHosts: [String] = []
  /// Development only: fetch metadata documents from loopback and private addresses.
  public var metadataDocumentAllowPrivateAddresses = false

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case dynamicRegistrationEnabled = "dynamic_registration_enabled"
    case perMinuteGlobal = "per_minute_global"
    case perMinutePerSource = "per_minute_per_source"
    case idleExpiry = "idle_expiry"
    case metadataDocumentsEnabled = "metadata_documents_enabled"
    case metadataDocumentAllowHosts = "metadata_document_allow_hosts"
    case metadataDocumentDenyHosts = "metadata_document_deny_hosts"
    case metadataDocumentAllowPrivateAddresses = "metadata_document_allow_private_addresses"
  }

  /// Every key `registration` accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// Each setting the file leaves out keeps its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = RegistrationPolicy()
    try c.decode(.dynamicRegistrationEnabled, into: &value, at: \.dynamicRegistrationEnabled)
    try c.decode(.perMinuteGlobal, into: &value, at: \.perMinuteGlobal)
    try c.decode(.perMinutePerSource, into: &value, at: \.perMinutePerSource)
    try c.decode(.idleExpiry, into: &value, at: \.idleExpiry)
    try c.decode(.metadataDocumentsEnabled, into: &value, at: \.metadataDocumentsEnabled)
    try c.decode(.metadataDocumentAllowHosts, into: &value, at: \.metadataDocumentAllowHosts)
    try c.decode(.metadataDocumentDenyHosts, into: &value, at: \.metadataDocumentDenyHosts)
    try c.decode(
      .metadataDocumentAllowPrivateAddresses, into: &value,
      at: \.metadataDocumentAllowPrivateAddresses)
    self = value
  }
}
