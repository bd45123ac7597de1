import ArgumentParser
import Foundation
public import LatchkeyServer

/// Where `serve` and every admin command get their configuration, so they agree on the database:
/// the `--config` file (or `LATCHKEY_CONFIG`), then `LATCHKEY_*` environment variables, then
/// flags, applied by the caller (docs/configuration.md).
public enum ConfigurationSource {
  /// The configuration file (when given) with environment overrides applied.
  public static func load(config: String?, environment: [String: String]) throws
    -> ServerConfiguration
  {
    var configuration: ServerConfiguration
    if let path = config ?? environment["LATCHKEY_CONFIG"] {
      do {
        configuration = try ServerConfiguration.load(path: path)
      } catch {
        throw ValidationError("cannot read configuration \(path): \(error)")
      }
    } else {
      configuration = ServerConfiguration(issuer: "http://127.0.0.1:8080")
    }
    if let value = environment["LATCHKEY_ISSUER"] { configuration.issuer = value }
    if let value = environment["LATCHKEY_HOST"] { configuration.host = value }
    if let value = environment["LATCHKEY_PORT"].flatMap(Int.init) { configuration.port = value }
    if let value = environment["LATCHKEY_DATABASE"] { configuration.databasePath = value }
    if let value = environment["LATCHKEY_DATABASE_URL"] { configuration.database.url = value }
    if let value = environment["LATCHKEY_LOG_FORMAT"] {
      configuration.logFormat = value.lowercased()
    }
    if let value = environment["LATCHKEY_LOG_LEVEL"] {
      configuration.logLevel = value.lowercased()
    }
    if let value = environment["LATCHKEY_METRICS_LISTEN"] {
      configuration.metrics.listen = value.isEmpty ? nil : value
    }
    return configuration
  }
}
