/// How often the background clean-up runs and how long expired rows are kept
/// (`housekeeping` in the configuration file, docs/configuration.md).
public struct HousekeepingPolicy: Sendable, Codable, Equatable {
  /// Seconds between two passes.
  public var interval: Int = 3600
  /// Expired codes and refresh tokens are kept this many seconds after they expired, so
  /// operators can still inspect recent failures; then they are deleted.
  public var retention: Int = 86_400

  public init() {}

  enum CodingKeys: String, CodingKey {
    case interval, retention
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = HousekeepingPolicy()
    interval = try c.decodeIfPresent(Int.self, forKey: .interval) ?? d.interval
    retention = try c.decodeIfPresent(Int.self, forKey: .retention) ?? d.retention
  }
}
