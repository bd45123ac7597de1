public import ArgumentParser
import CoreMetrics
import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer
import Logging
import ServiceLifecycle

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

  @Option(
    name: .customLong("metrics-listen"),
    help: "Serve Prometheus metrics on this host:port (a separate listener; off by default).")
  public var metricsListen: String?

  public init() {}

  public func run() async throws {
    let configuration = try resolvedConfiguration(environment: ProcessInfo.processInfo.environment)
    var logger = Self.logger(format: configuration.logFormat)
    logger.logLevel = configuration.logLevel
    let metricsAddress = try configuration.metrics.listenAddress()
    let exporter = metricsAddress == nil ? nil : MetricsExporter.process
    let factory = exporter?.factory ?? MetricsSystem.factory
    let store = try await StoreFactory.open(
      configuration, environment: ProcessInfo.processInfo.environment, logger: logger,
      metricsFactory: factory)
    // The database closes after the servers stopped (SIGTERM/SIGINT: in-flight requests
    // finish first), so the SQLite WAL is checkpointed and removed on a clean exit.
    defer { StoreFactory.close(store) }
    let app = try await buildApplication(
      configuration: configuration, store: store, logger: logger, metricsFactory: factory,
      releasesFilePages: true)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
    if let exporter, let metricsAddress {
      services.append(
        .init(
          service: exporter.application(
            host: metricsAddress.host, port: metricsAddress.port,
            path: configuration.metrics.path, logger: logger)))
    }
    logger.info(
      "latchkey serving",
      metadata: [
        "issuer": "\(configuration.issuer)",
        "address": "\(configuration.host):\(configuration.port)",
        "metrics": "\(configuration.metrics.listen ?? "off")",
        "database":
          "\(StoreFactory.describe(configuration, environment: ProcessInfo.processInfo.environment))",
      ])
    let group = ServiceGroup(
      configuration: .init(
        services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
  }

  /// The configuration after applying the file, the environment and the flags, in that order.
  func resolvedConfiguration(environment: [String: String]) throws -> ServerConfiguration {
    var configuration = try ConfigurationSource.load(config: config, environment: environment)
    if let issuer { configuration.issuer = issuer }
    if let host { configuration.host = host }
    if let port { configuration.port = port }
    if let database { configuration.databasePath = database }
    if let logFormat { configuration.logFormat = try ConfigurationSource.logFormat(logFormat) }
    if let metricsListen { configuration.metrics.listen = metricsListen }
    do {
      try configuration.validate()
    } catch {
      throw ValidationError(error.description)
    }
    for provider in configuration.identityProviders {
      if let problem = provider.credentialProblem(environment: environment) {
        throw ValidationError("invalid configuration: \(problem)")
      }
    }
    _ = try StoreFactory.usesPostgres(configuration, environment: environment)
    return configuration
  }

  /// The process logger on stderr: swift-log's console format (`TextLogHandler`, UTC), or JSON
  /// lines.
  static func logger(format: LogFormat, label: String = "latchkey") -> Logger {
    guard format == .json else { return Logger(label: label) { TextLogHandler(label: $0) } }
    return Logger(label: label) { JSONLogHandler(label: $0) }
  }
}
