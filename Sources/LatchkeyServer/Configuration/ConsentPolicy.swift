import LatchkeyCore

/// Consent behaviour.
public struct ConsentPolicy: Sendable, Codable, Equatable {
  /// Skip the consent page when every requested scope was consented to before.
  public var skipWhenAlreadyGranted = true

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case skipWhenAlreadyGranted = "skip_when_already_granted"
  }

  /// Every key `consent` accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// A setting the file leaves out keeps its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = ConsentPolicy()
    try c.decode(.skipWhenAlreadyGranted, into: &value, at: \.skipWhenAlreadyGranted)
    self = value
  }
}
