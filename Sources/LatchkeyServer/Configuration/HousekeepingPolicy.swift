import LatchkeyCore

/// How often the background clean-up runs and how long expired rows are kept
/// (`housekeeping` in the configuration file, docs/configuration.md).
public struct HousekeepingPolicy: Sendable, Codable, Equatable {
  /// Seconds between two passes.
  public var interval = 3600
  /// Expired codes and refresh tokens are kept this many seconds after they expired, so
  /// operators can still inspect recent failures; then they are deleted.
  public var retention = 86_400

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case interval, retention
  }

  /// Every key `housekeeping` accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// Each setting the file leaves out keeps its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = HousekeepingPolicy()
    try c.decode(.interval, into: &value, at: \.interval)
    try c.decode(.retention, into: &value, at: \.retention)
    self = value
  }
}
