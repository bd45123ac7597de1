import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey admin conventions")
struct ConventionsTests {
  static let listings: [[String]] = [
    ["client", "list"], ["user", "list"], ["resource", "list"], ["key", "list"],
    ["grant", "list"], ["audit", "query"], ["doctor"],
  ]

  @Test(arguments: listings)
  func everyListingPrintsJSON(arguments: [String]) async throws {
    let bed = try CLITestbed()
    _ = await bed.run("key", "rotate")
    try await bed.store.upsertResource(Fixtures.resource())
    let result = await bed.run(arguments: arguments + ["--json"])
    #expect(result.code == 0, "\(result)")
    #expect(throws: Never.self) { try result.json() }
    let table = await bed.run(arguments: arguments)
    #expect(table.code == 0)
    #expect(table.out.first?.isUppercase == true, "a table starts with its header")
  }

  static let commands: [[String]] = [
    ["client", "add"], ["client", "list"], ["client", "show"], ["client", "update"],
    ["client", "rotate-secret"], ["client", "remove"], ["user", "add"], ["user", "list"],
    ["user", "passwd"], ["user", "disable"], ["user", "enable"], ["user", "remove"],
    ["resource", "add"], ["resource", "list"], ["resource", "update"], ["resource", "remove"],
    ["key", "list"], ["key", "rotate"], ["key", "retire"], ["grant", "list"],
    ["grant", "revoke"], ["token", "revoke"], ["token", "inspect"], ["audit", "tail"],
    ["audit", "query"], ["audit", "prune"], ["doctor"], ["backup"],
  ]

  @Test(arguments: commands)
  func everyCommandHasHelpWithDatabaseAndConfig(command: [String]) async throws {
    let bed = try CLITestbed()
    let result = await bed.run(arguments: command + ["--help"])
    #expect(result.code == 0)
    #expect(result.out.contains("OVERVIEW:"))
    #expect(result.out.contains("--database <database>"))
    #expect(result.out.contains("--config <config>"))
  }

  @Test func databaseResolvesLikeServe() async throws {
    let bed = try CLITestbed()
    let other = bed.directory.appendingPathComponent("other.sqlite").path
    let otherStore = try SQLiteStore(path: other)
    try await otherStore.insertUser(Fixtures.user(id: "u-other", at: bed.clock.now()))
    // --database beats LATCHKEY_DATABASE.
    let flagged = try await bed.run("user", "list", "--database", other, "--json").array()
    #expect(flagged.map { $0["user_id"] as? String } == ["u-other"])
    // LATCHKEY_DATABASE beats the file's database_path.
    let fromEnvironment = try await bed.run("user", "list", "--json").array()
    #expect(fromEnvironment.isEmpty)
    // Without LATCHKEY_DATABASE the configuration file's database_path is used.
    let config = bed.directory.appendingPathComponent("other.json").path
    try Data(#"{"issuer": "https://auth.example.com", "database_path": "\#(other)"}"#.utf8)
      .write(to: URL(fileURLWithPath: config))
    let console = BufferConsole()
    let context = CommandContext(
      console: console, clock: bed.clock, environment: ["LATCHKEY_CONFIG": config])
    #expect(await LatchkeyCLI.run(["user", "list", "--json"], context: context) == 0)
    #expect(console.state.withLock { $0.out }.contains("u-other"))
    // An explicit --config wins over LATCHKEY_CONFIG.
    let explicit = await bed.run("user", "list", "--config", config, "--json")
    #expect(explicit.code == 0)
    let matches = ServeCommandAgreement.serveDatabase(config: config, environment: [:])
    #expect(matches == other)
  }

  @Test func anUnreadableConfigurationIsAUsageError() async throws {
    let bed = try CLITestbed()
    let result = await bed.run("client", "list", "--config", "/nonexistent/latchkey.json")
    #expect(result.code == 64)
    #expect(result.err.contains("cannot read configuration /nonexistent/latchkey.json"))
  }
}

/// What `serve` would use, through its own option parsing.
enum ServeCommandAgreement {
  static func serveDatabase(config: String, environment: [String: String]) -> String? {
    guard let serve = try? ServeCommand.parse(["--config", config]),
      let configuration = try? serve.resolvedConfiguration(environment: environment)
    else { return nil }
    return configuration.databasePath
  }
}
