import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer

/// `--config` and `--database`, shared by every admin command; they resolve exactly as for
/// `latchkey serve`, so the CLI works on the database the server uses.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "JSON configuration file, as for serve (default: $LATCHKEY_CONFIG, else built-in).")
  var config: String?

  @Option(
    name: .long,
    help:
      "SQLite path or postgres:// URL (default: $LATCHKEY_DATABASE, else the configuration's).")
  var database: String?

  /// The configuration as `serve` would see it, with `--database` applied.
  func configuration(environment: [String: String]) throws -> ServerConfiguration {
    var configuration = try ConfigurationSource.load(config: config, environment: environment)
    if let database { configuration.databasePath = database }
    return configuration
  }

  /// Opens the database and runs `body`; any failure is printed as one sentence on stderr and
  /// becomes exit code 1 (usage errors keep ArgumentParser's exit code 64).
  func withSession<T>(_ body: (AdminSession) async throws -> T) async throws -> T {
    let context = CommandContext.current
    let configuration = try configuration(environment: context.environment)
    do {
      let isPostgres = try StoreFactory.usesPostgres(
        configuration, environment: context.environment)
      let path = configuration.databasePath
      guard isPostgres || FileManager.default.fileExists(atPath: path) else {
        throw CLIError(
          "the database \(path) does not exist; run `latchkey migrate --database \(path)` first")
      }
      let store = try await StoreFactory.open(configuration, environment: context.environment)
      defer { StoreFactory.close(store) }
      return try await body(
        AdminSession(configuration: configuration, store: store, context: context))
    } catch {
      if error is ExitCode || error is ValidationError || error is CleanExit { throw error }
      context.console.writeError("error: \(CLIError.sentence(for: error)).")
      throw ExitCode.failure
    }
  }
}
