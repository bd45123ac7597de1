import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

/// `latchkey user list` names how each user signs in: a password, identity provider links
/// (`user_identities`, issue 23), or both.
@Suite("latchkey user list: identity provider links")
struct UserIdentityListTests {
  @Test func linksAndPasswordsAreListed() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "user", "add", "erin", "--id", "u-erin", "--password-stdin", stdin: "password-1")
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    try await bed.store.insertUser(
      User(id: "idp_corp_1", username: "ada@example.com", passwordHash: "!upstream", createdAt: now)
    )
    try await bed.store.insertUserIdentity(
      UserIdentity(provider: "corp", subject: "s-1", userID: "idp_corp_1", createdAt: now))
    let table = await bed.run("user", "list")
    #expect(table.out.contains("SIGN-IN"))
    let lines = table.out.split(separator: "\n")
    #expect(lines.contains { $0.contains("ada@example.com") && $0.contains(" corp") })
    #expect(lines.contains { $0.contains("erin") && $0.contains("password") })
    #expect(!table.out.contains("!upstream"))
    let json = try await bed.run("user", "list", "--json").array()
    let ada = try #require(json.first { $0["username"] as? String == "ada@example.com" })
    #expect(ada["has_password"] as? Bool == false)
    let links = try #require(ada["identities"] as? [[String: Any]])
    #expect(links.count == 1 && links[0]["provider"] as? String == "corp")
    #expect(links[0]["subject"] as? String == "s-1")
    let erin = try #require(json.first { $0["username"] as? String == "erin" })
    #expect(erin["has_password"] as? Bool == true)
    #expect((erin["identities"] as? [Any])?.isEmpty == true)
  }

  @Test func linkAndUnlinkAnExistingUser() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "user", "add", "erin", "--id", "u-erin", "--password-stdin", stdin: "password-1")
    _ = await bed.run(
      "user", "add", "frank", "--id", "u-frank", "--password-stdin", stdin: "password-2")
    let linked = await bed.run("user", "link", "erin", "--provider", "corp", "--subject", "s-9")
    #expect(linked.code == 0 && linked.out.contains("linked erin to corp subject s-9"))
    #expect(
      try await bed.store.userIdentity(provider: "corp", subject: "s-9")?.userID == "u-erin")
    let again = await bed.run("user", "link", "erin", "--provider", "corp", "--subject", "s-9")
    #expect(again.code == 1 && again.err.contains("linked to corp s-9 already"))
    let other = await bed.run("user", "link", "frank", "--provider", "corp", "--subject", "s-9")
    #expect(other.code == 1 && other.err.contains("linked to another user"))
    let control = await bed.run(
      "user", "link", "frank", "--provider", "corp", "--subject", "s\u{0}1")
    #expect(control.code == 1 && control.err.contains("without control characters"))
    let ghost = await bed.run("user", "link", "nobody", "--provider", "corp", "--subject", "x")
    #expect(ghost.code == 1 && ghost.err.contains("no user has the username or id nobody"))

    // Kept upstream tokens of that provider go with the last link to it.
    try await bed.store.insertUpstreamToken(
      UpstreamTokenRecord(
        id: "r1", userID: "u-erin", provider: "corp", interactionID: "i1", keyID: "k1",
        sealed: "x", createdAt: Date(timeIntervalSince1970: 1_800_000_000)))
    let none = await bed.run("user", "unlink", "erin", "--provider", "github", "--yes")
    #expect(none.code == 1 && none.err.contains("erin has no link to github"))
    let unlinked = await bed.run("user", "unlink", "erin", "--provider", "corp", "--yes")
    #expect(unlinked.code == 0)
    #expect(unlinked.out.contains("unlinked erin from corp (1 account(s)); deleted 1 kept"))
    #expect(try await bed.store.userIdentity(provider: "corp", subject: "s-9") == nil)
    #expect(try await bed.store.user(id: "u-erin") != nil)
    #expect(try await bed.store.deleteUpstreamTokens(userID: "u-erin", provider: nil) == 0)
    let audit = try await bed.store.auditEvents(matching: AuditQuery(type: "cli.user.unlinked"))
    #expect(audit.map(\.detail) == ["actor=cli provider corp, links=1, upstream_tokens=1"])
  }
}
