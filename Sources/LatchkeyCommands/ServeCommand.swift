public import ArgumentParser
import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer
import Logging

/// `latchkey serve --config latchkey.json`: runs the authorization server on the configured
/// store (SQLite by default, PostgreSQL when `database.url` is set).
///
/// Precedence: flags over `LATCHKEY_*` environment variables over the file over defaults
/// (docs/configuration.md). Secrets are never read from flags or printed.
public struct ServeCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "serve", abstract: "Run the authorization server.")

  @Option(name: .long, help: "JSON configuration file (docs/configuration.md).")
  public var config: String?

  @Option(name: .long, help: "Issuer URL, exactly as clients will see it (overrides the file).")
  public var issuer: String?

  @Option(name: .long, help: "Listen address.")
  public var host: String?

  @Option(name: .long, help: "Listen port.")
  public var port: Int?

  @Option(name: .long, help: "SQLite database path, or a postgres:// URL.")
  public var database: String?

  @Option(name: .customLong("log-format"), help: "Log format: text or json (JSON lines).")
  public var logFormat: String?

  public init() {}

  public func run() async throws {
    let configuration = try resolvedConfiguration(environment: ProcessInfo.processInfo.environment)
    var logger = Self.logger(format: configuration.logFormat)
    logger.logLevel = .info
    let store = try await StoreFactory.open(
      configuration, environment: ProcessInfo.processInfo.environment, logger: logger)
    defer { StoreFactory.close(store) }
    let app = try await buildApplication(
      configuration: configuration, store: store, logger: logger)
    logger.info(
      "latchkey serving",
      metadata: [
        "issuer": "\(configuration.issuer)",
        "address": "\(configuration.host):\(configuration.port)",
        "database":
          "\(StoreFactory.describe(configuration, environment: ProcessInfo.processInfo.environment))",
      ])
    try await app.runService()
  }

  /// The configuration after applying the file, the environment and the flags, in that order.
  func resolvedConfiguration(environment: [String: String]) throws -> ServerConfiguration {
    var configuration = try ConfigurationSource.load(config: config, environment: environment)
    if let issuer { configuration.issuer = issuer }
    if let host { configuration.host = host }
    if let port { configuration.port = port }
    if let database { configuration.databasePath = database }
    if let logFormat { configuration.logFormat = logFormat.lowercased() }
    guard ["text", "json"].contains(configuration.logFormat) else {
      throw ValidationError("log format must be text or json")
    }
    if let problem = IssuerRule.validate(configuration.issuer) {
      throw ValidationError(problem)
    }
    _ = try Self.synchronous(configuration)
    _ = try StoreFactory.postgresConfiguration(configuration, environment: environment)
    return configuration
  }

  /// The process logger: swift-log's console format, or JSON lines on stderr.
  static func logger(format: String) -> Logger {
    guard format == "json" else { return Logger(label: "latchkey") }
    return Logger(label: "latchkey") { JSONLogHandler(label: $0) }
  }

  /// The store durability named by `database_synchronous`.
  static func synchronous(_ configuration: ServerConfiguration) throws
    -> SQLiteConfiguration.Synchronous
  {
    guard
      let level = SQLiteConfiguration.Synchronous(rawValue: configuration.databaseSynchronous)
    else { throw ValidationError("database_synchronous must be FULL or NORMAL") }
    return level
  }
}
