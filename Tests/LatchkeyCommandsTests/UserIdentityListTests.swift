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
}
