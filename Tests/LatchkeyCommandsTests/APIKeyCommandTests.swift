import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey apikey")
struct APIKeyCommandTests {
  /// alice (u1), a disabled bob (u2), a client_credentials client `ci-bot` allowed notes:read,
  /// and the notes resource.
  static func seeded() async throws -> CLITestbed {
    let bed = try CLITestbed()
    let now = bed.clock.now()
    try await bed.store.insertUser(Fixtures.user(id: "u1", username: "alice", at: now))
    var bob = Fixtures.user(id: "u2", username: "bob", at: now)
    bob.disabled = true
    try await bed.store.insertUser(bob)
    var client = Fixtures.client(id: "ci-bot", origin: .preregistered, at: now)
    client.allowedScopes = ScopeSet(["notes:read"])
    try await bed.store.insertClient(client)
    try await bed.store.upsertResource(Fixtures.resource())
    return bed
  }

  @Test func createPrintsTheKeyOnceAndStoresOnlyItsHash() async throws {
    let bed = try await Self.seeded()
    let created = await bed.run(
      "apikey", "create", "--user", "alice", "--resource", Fixtures.resourceURL, "--scope",
      "notes:read notes:write", "--expires", "90d", "--name", "nightly report")
    #expect(created.code == 0, "\(created)")
    let line = try #require(created.out.split(separator: "\n").first { $0.hasPrefix("api_key: ") })
    let secret = String(line.dropFirst("api_key: ".count))
    LeakScan.record([secret])
    guard case .wellFormed(let id) = APIKeyFormat.recognize(secret) else {
      Issue.record("not a well-formed key")
      return
    }
    #expect(created.out.contains("shown only once"))
    let stored = try #require(try await bed.store.apiKey(id: id))
    #expect(stored.keyHash == SecretHash.of(secret))
    #expect(stored.owner == .user("u1"))
    #expect(stored.scopes == ScopeSet(["notes:read", "notes:write"]))
    #expect(stored.expiresAt == bed.clock.now().addingTimeInterval(90 * 86_400))
    #expect(stored.name == "nightly report")

    let listed = await bed.run("apikey", "list")
    #expect(listed.out.hasPrefix("ID"))
    #expect(listed.out.contains(id))
    #expect(!listed.out.contains(secret))
    let json = try await bed.run("apikey", "list", "--json").array()
    #expect(json.map { $0["id"] as? String } == [id])
    #expect(json.first?["api_key"] == nil)
    #expect(json.first?["user_id"] as? String == "u1")
    let audit = try await bed.cliAudit()
    #expect(audit.map(\.type) == ["cli.apikey.created"])
    #expect(audit.first?.detail == "actor=cli api_key=\(id)")
    #expect(audit.allSatisfy { !($0.detail ?? "").contains(secret) })
  }

  @Test func aServiceKeyIsLimitedToTheClientsAllowedScopes() async throws {
    let bed = try await Self.seeded()
    let refused = await bed.run(
      "apikey", "create", "--client", "ci-bot", "--scope", "notes:write", "--name", "ci")
    #expect(refused.code != 0)
    #expect(refused.err.contains("notes:write"))
    let created = try await bed.run(
      "apikey", "create", "--client", "ci-bot", "--name", "ci", "--json"
    ).object()
    #expect(created["client_id"] as? String == "ci-bot")
    #expect(created["user_id"] is NSNull)
    #expect(created["scopes"] as? [String] == ["notes:read"])
    LeakScan.record([try #require(created["api_key"] as? String)])
  }

  @Test func refusals() async throws {
    let bed = try await Self.seeded()
    let both = await bed.run(
      "apikey", "create", "--user", "alice", "--client", "ci-bot", "--name", "x")
    #expect(both.code == 64)
    let disabled = await bed.run("apikey", "create", "--user", "bob", "--name", "x")
    #expect(disabled.err.contains("disabled"))
    let unknownScope = await bed.run(
      "apikey", "create", "--user", "alice", "--scope", "admin", "--name", "x")
    #expect(unknownScope.err.contains("does not offer admin"))
    let unknownResource = await bed.run(
      "apikey", "create", "--user", "alice", "--resource", "https://other.example/mcp",
      "--name", "x")
    #expect(unknownResource.err.contains("no resource has the URL"))
    let badExpiry = await bed.run(
      "apikey", "create", "--user", "alice", "--expires", "soon", "--name", "x")
    #expect(badExpiry.err.contains("--expires"))
    #expect(try await bed.store.apiKeys().isEmpty)
  }

  @Test func revokeAndRotate() async throws {
    let bed = try await Self.seeded()
    let created = try await bed.run(
      "apikey", "create", "--user", "alice", "--expires", "30d", "--name", "n", "--json"
    ).object()
    let id = try #require(created["id"] as? String)
    LeakScan.record([try #require(created["api_key"] as? String)])

    let rotated = try await bed.run("apikey", "rotate", id, "--yes", "--json").object()
    let newID = try #require(rotated["id"] as? String)
    let newSecret = try #require(rotated["api_key"] as? String)
    LeakScan.record([newSecret])
    #expect(newID != id)
    #expect(rotated["name"] as? String == "n")
    #expect(try await bed.store.apiKey(id: id)?.revokedAt != nil)
    let renewed = try #require(try await bed.store.apiKey(id: newID))
    #expect(renewed.expiresAt.timeIntervalSince(renewed.createdAt) == 30 * 86_400)
    #expect(renewed.keyHash == SecretHash.of(newSecret))
    let again = await bed.run("apikey", "rotate", id, "--yes")
    #expect(again.err.contains("revoked"))

    let revoked = await bed.run("apikey", "revoke", newID, "--yes")
    #expect(revoked.code == 0)
    #expect(revoked.out.contains("30 s"))
    #expect(try await bed.run("apikey", "list", "--json").array().isEmpty)
    let all = try await bed.run("apikey", "list", "--all", "--json").array()
    #expect(all.compactMap { $0["status"] as? String } == ["revoked", "revoked"])
    let twice = await bed.run("apikey", "revoke", newID, "--yes")
    #expect(twice.err.contains("already revoked"))
    #expect(
      try await bed.cliAudit().map(\.type) == [
        "cli.apikey.created", "cli.apikey.rotated", "cli.apikey.revoked",
      ])
  }

  @Test func tokenInspectRecognisesAKeyWithoutLookingItUp() async throws {
    let bed = try CLITestbed()
    let (key, id) = APIKeyFormat.generate()
    LeakScan.record([key])
    let good = await bed.run("token", "inspect", stdin: key)
    #expect(good.code == 0, "\(good)")
    #expect(good.out.contains("Latchkey API key"))
    #expect(good.out.contains("checksum:  valid"))
    #expect(good.out.contains(id))
    #expect(!good.out.contains(key))
    var typo = Array(key)
    typo[20] = typo[20] == "a" ? "b" : "a"
    let bad = try await bed.run("token", "inspect", "--json", stdin: String(typo)).object()
    #expect(bad["checksum_valid"] as? Bool == false)
    #expect(bad["type"] as? String == "api_key")
  }

  static let commands: [[String]] = [
    ["apikey", "create"], ["apikey", "list"], ["apikey", "revoke"], ["apikey", "rotate"],
  ]

  @Test(arguments: commands)
  func everyCommandHasHelpWithDatabaseAndConfig(command: [String]) async throws {
    let bed = try CLITestbed()
    let result = await bed.run(arguments: command + ["--help"])
    #expect(result.code == 0)
    #expect(result.out.contains("--database <database>"))
    #expect(result.out.contains("--config <config>"))
  }
}
