import ArgumentParser
import Foundation
import LatchkeyCore
public import LatchkeyServer
import Logging

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
        throw ValidationError(error.description)
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
      configuration.logFormat = try logFormat(value)
    }
    if let value = environment["LATCHKEY_LOG_LEVEL"] {
      configuration.logLevel = try logLevel(value)
    }
    if let value = environment["LATCHKEY_METRICS_LISTEN"] {
      configuration.metrics.listen = value.isEmpty ? nil : value
    }
    return configuration
  }

  /// The log format a flag or `LATCHKEY_LOG_FORMAT` names, in any case.
  /// - Throws: `ValidationError` (exit code 64) for anything but text or json.
  static func logFormat(_ text: String) throws -> LogFormat {
    guard let format = ConfigurationChoice.match(text, as: LogFormat.self) else {
      throw ValidationError("log format must be text or json")
    }
    return format
  }

  /// The swift-log level `LATCHKEY_LOG_LEVEL` names, in any case.
  /// - Throws: `ValidationError` (exit code 64) for a name swift-log does not have.
  static func logLevel(_ text: String) throws -> Logger.Level {
    guard let level = ConfigurationChoice.match(text, as: Logger.Level.self) else {
      throw ValidationError(
        "log level must be trace, debug, info, notice, warning, error or critical")
    }
    return level
  }
}
