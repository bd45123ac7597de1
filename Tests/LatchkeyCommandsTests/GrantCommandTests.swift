import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey grant")
struct GrantCommandTests {
  /// Users u1 (alice) and u2, clients c1 and c2, grants g1 (u1,c1), g2 (u1,c2), g3 (u2,c1).
  static func seeded() async throws -> CLITestbed {
    let bed = try CLITestbed()
    let now = bed.clock.now()
    try await bed.store.insertUser(Fixtures.user(id: "u1", username: "alice", at: now))
    try await bed.store.insertUser(Fixtures.user(id: "u2", at: now))
    try await bed.store.insertClient(Fixtures.client(id: "c1", at: now))
    try await bed.store.insertClient(Fixtures.client(id: "c2", at: now))
    for (id, user, client) in [("g1", "u1", "c1"), ("g2", "u1", "c2"), ("g3", "u2", "c1")] {
      let grant = Fixtures.grant(id: id, userID: user, clientID: client, at: now)
      try await bed.store.issueCode(Fixtures.code(for: grant, at: now), grant: grant)
      _ = try await bed.store.issueRefreshToken(
        Fixtures.refreshToken(hash: "hash-\(id)", for: grant, at: now))
    }
    return bed
  }

  @Test func listFiltersByUserClientAndResource() async throws {
    let bed = try await Self.seeded()
    let all = try await bed.run("grant", "list", "--json").array()
    #expect(all.map { $0["grant_id"] as? String } == ["g1", "g2", "g3"])
    #expect(all[0]["status"] as? String == "live")
    #expect(all[0]["scopes"] as? [String] == ["notes:read"])
    let alice = try await bed.run("grant", "list", "--user", "alice", "--json").array()
    #expect(alice.map { $0["grant_id"] as? String } == ["g1", "g2"])
    let byID = try await bed.run("grant", "list", "--user", "u2", "--json").array()
    #expect(byID.map { $0["grant_id"] as? String } == ["g3"])
    let client = try await bed.run("grant", "list", "--client", "c1", "--json").array()
    #expect(client.map { $0["grant_id"] as? String } == ["g1", "g3"])
    let resource = try await bed.run(
      "grant", "list", "--resource", "https://other.example/mcp", "--json"
    ).array()
    #expect(resource.isEmpty)
    let table = await bed.run("grant", "list")
    #expect(table.out.split(separator: "\n").count == 4)
    #expect(table.out.hasPrefix("GRANT ID"))
  }

  @Test func revokeByIDRevokesTheRefreshFamily() async throws {
    let bed = try await Self.seeded()
    let revoked = await bed.run("grant", "revoke", "g1", "--yes")
    #expect(revoked.code == 0)
    #expect(revoked.out.contains("revoked 1 grant(s) and their refresh tokens"))
    #expect(revoked.out.contains("access tokens already issued stay valid until their exp"))
    #expect(revoked.out.contains("3600 s"))
    #expect(try await bed.store.grant(id: "g1")?.revokedAt != nil)
    let listed = try await bed.run("grant", "list", "--json").array()
    #expect(listed.map { $0["grant_id"] as? String } == ["g2", "g3"])
    let withRevoked = try await bed.run("grant", "list", "--all", "--json").array()
    #expect(withRevoked.first?["status"] as? String == "revoked")
    let audit = try await bed.cliAudit()
    #expect(audit.map(\.type) == ["cli.grant.revoked"])
    #expect(audit[0].userID == "u1" && audit[0].clientID == "c1")

    let again = await bed.run("grant", "revoke", "g1", "--yes")
    #expect(again.code == 1)
    #expect(again.err.contains("already revoked"))
    let unknown = await bed.run("grant", "revoke", "nope", "--yes")
    #expect(unknown.err == "error: no grant has the id nope.\n")
  }

  @Test func revokeByFilter() async throws {
    let bed = try await Self.seeded()
    let revoked = await bed.run("grant", "revoke", "--client", "c1", "--yes")
    #expect(revoked.code == 0)
    #expect(revoked.out.contains("revoked 2 grant(s)"))
    #expect(try await bed.store.grant(id: "g2")?.revokedAt == nil)
    let none = await bed.run("grant", "revoke", "--client", "c1", "--yes")
    #expect(none.code == 0)
    #expect(none.out.contains("nothing was changed"))
  }

  @Test func revokeNeedsATargetAndConfirmation() async throws {
    let bed = try await Self.seeded()
    let bare = await bed.run("grant", "revoke", "--yes")
    #expect(bare.code == 64)
    let both = await bed.run("grant", "revoke", "g1", "--user", "alice", "--yes")
    #expect(both.code == 64)
    let noTTY = await bed.run("grant", "revoke", "g1")
    #expect(noTTY.code == 1)
    #expect(try await bed.store.grants(matching: GrantFilter()).count == 3)
  }
}
