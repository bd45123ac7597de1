import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey user")
struct UserCommandTests {
  @Test func addFromStdinHashesWithTheConfiguredCost() async throws {
    let bed = try CLITestbed()
    let added = await bed.run(
      "user", "add", "alice", "--id", "u-alice", "--password-stdin", stdin: "correct horse\n")
    #expect(added.code == 0)
    #expect(added.out == "added user alice (id u-alice)\n")
    let user = try #require(try await bed.store.user(username: "alice"))
    #expect(user.passwordHash.hasPrefix("$scrypt$ln=4,"))
    #expect(ScryptPasswordHasher().verify("correct horse", against: user.passwordHash))
    #expect(!added.out.contains("correct horse") && !added.err.contains("correct horse"))
    #expect(try await bed.cliAudit().map(\.type) == ["cli.user.added"])
  }

  @Test func addPromptsTwiceOnATerminal() async throws {
    let bed = try CLITestbed()
    let mismatch = await bed.run(
      "user", "add", "bob", interactive: true, secrets: ["password-1", "password-2"])
    #expect(mismatch.code == 1)
    #expect(mismatch.err.contains("the two passwords differ"))
    #expect(try await bed.store.user(username: "bob") == nil)
    let ok = await bed.run(
      "user", "add", "bob", interactive: true, secrets: ["password-1", "password-1"])
    #expect(ok.code == 0)
    let user = try #require(try await bed.store.user(username: "bob"))
    #expect(ScryptPasswordHasher().verify("password-1", against: user.passwordHash))
  }

  @Test func withoutTerminalOrStdinThePasswordIsRefused() async throws {
    let bed = try CLITestbed()
    let result = await bed.run("user", "add", "carol")
    #expect(result.code == 1)
    #expect(result.err.contains("--password-stdin"))
    let short = await bed.run("user", "add", "carol", "--password-stdin", stdin: "short")
    #expect(short.code == 1)
    #expect(short.err.contains("at least 8 characters"))
    let argv = await bed.run("user", "add", "carol", "--password", "secret-secret")
    #expect(argv.code == 64)
    #expect(try await bed.store.users().isEmpty)
  }

  @Test func duplicateUsernameIsRefused() async throws {
    let bed = try CLITestbed()
    _ = await bed.run("user", "add", "dave", "--password-stdin", stdin: "password-1")
    let hash = try await bed.store.user(username: "dave")?.passwordHash
    let again = await bed.run("user", "add", "dave", "--password-stdin", stdin: "password-2")
    #expect(again.code == 1)
    #expect(again.err == "error: a user named dave already exists.\n")
    #expect(try await bed.store.user(username: "dave")?.passwordHash == hash)
  }

  @Test func listShowsStatusButNeverTheHash() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "user", "add", "erin", "--id", "u-erin", "--password-stdin", stdin: "password-1")
    let table = await bed.run("user", "list")
    #expect(
      table.out.contains("USER ID") && table.out.contains("erin") && table.out.contains("active"))
    #expect(!table.out.contains("$scrypt"))
    let json = try await bed.run("user", "list", "--json").array()
    #expect(json.count == 1)
    #expect(json[0]["user_id"] as? String == "u-erin")
    #expect(json[0]["username"] as? String == "erin")
    #expect(json[0]["disabled"] as? Bool == false)
    #expect(json[0]["password_hash"] == nil)
  }

  @Test func passwdReplacesTheHash() async throws {
    let bed = try CLITestbed()
    _ = await bed.run("user", "add", "frank", "--password-stdin", stdin: "password-1")
    let changed = await bed.run(
      "user", "passwd", "frank", "--password-stdin", stdin: "password-2\n")
    #expect(changed.code == 0)
    let user = try #require(try await bed.store.user(username: "frank"))
    #expect(ScryptPasswordHasher().verify("password-2", against: user.passwordHash))
    let unknown = await bed.run("user", "passwd", "nobody", "--password-stdin", stdin: "password-3")
    #expect(unknown.code == 1)
    #expect(unknown.err == "error: no user has the username or id nobody.\n")
  }

  @Test func disableRevokesTheUsersGrants() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "user", "add", "gina", "--id", "u-gina", "--password-stdin", stdin: "password-1")
    let now = bed.clock.now()
    try await bed.store.insertClient(Fixtures.client(id: "c1", at: now))
    try await bed.store.insertUser(Fixtures.user(id: "u-other", at: now))
    for (user, id) in [("u-gina", "g1"), ("u-gina", "g2"), ("u-other", "g3")] {
      let grant = Fixtures.grant(id: id, userID: user, clientID: "c1", at: now)
      try await bed.store.issueCode(Fixtures.code(for: grant, at: now), grant: grant)
    }
    let refused = await bed.run("user", "disable", "gina")
    #expect(refused.code == 1)
    #expect(try await bed.store.user(username: "gina")?.disabled == false)
    let disabled = await bed.run("user", "disable", "gina", "--yes")
    #expect(disabled.code == 0)
    #expect(disabled.out.contains("revoked 2 grant(s)"))
    #expect(disabled.out.contains("access-token lifetime 3600 s"))
    #expect(try await bed.store.user(username: "gina")?.disabled == true)
    #expect(try await bed.store.grant(id: "g1")?.revokedAt != nil)
    #expect(try await bed.store.grant(id: "g3")?.revokedAt == nil)
    let enabled = await bed.run("user", "enable", "gina")
    #expect(enabled.code == 0)
    #expect(try await bed.store.user(username: "gina")?.disabled == false)
    #expect(
      try await bed.cliAudit().map(\.type) == [
        "cli.user.added", "cli.user.disabled", "cli.user.enabled",
      ])
  }

  @Test func removeDeletesTheUser() async throws {
    let bed = try CLITestbed()
    _ = await bed.run("user", "add", "hank", "--password-stdin", stdin: "password-1")
    let removed = await bed.run("user", "remove", "hank", "--yes")
    #expect(removed.code == 0)
    #expect(try await bed.store.user(username: "hank") == nil)
    let again = await bed.run("user", "remove", "hank", "--yes")
    #expect(again.code == 1)
  }
}
