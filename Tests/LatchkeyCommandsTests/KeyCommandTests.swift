import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeyCommands

@Suite("latchkey key")
struct KeyCommandTests {
  @Test func rotateListAndRetire() async throws {
    let bed = try CLITestbed()
    let first = try await bed.run("key", "rotate", "--json").object()
    let firstKid = try #require(first["kid"] as? String)
    #expect(first["previous_kid"] is NSNull)
    bed.clock.advance(by: 86_400)
    let second = await bed.run("key", "rotate")
    #expect(second.code == 0)
    #expect(second.out.contains("previous key \(firstKid) stays published until"))
    let keys = try await bed.store.signingKeys()
    #expect(keys.map(\.state) == [.published, .active])

    let table = await bed.run("key", "list")
    #expect(
      table.out.contains("KID") && table.out.contains("published") && table.out.contains("1d0h"))
    #expect(!table.out.contains("PRIVATE KEY"))
    let json = try await bed.run("key", "list", "--json").array()
    #expect(json.map { $0["state"] as? String } == ["published", "active"])
    #expect(json[0]["age_seconds"] as? Int == 86_400)
    #expect(json[0]["retirable_at"] as? String == "2027-01-16T09:00:00Z")
    #expect(json[1]["retirable_at"] is NSNull)
    #expect(json.allSatisfy { $0["private_key_pem"] == nil })

    let early = await bed.run("key", "retire", "--yes", "--", firstKid)
    #expect(early.code == 1)
    #expect(early.err.contains("may be valid until 2027-01-16T09:00:00Z"))
    #expect(try await bed.store.signingKeys()[0].state == .published)
    let active = await bed.run("key", "retire", "--yes", "--", keys[1].kid)
    #expect(active.code == 1)
    #expect(active.err.contains("is active"))
    let unknown = await bed.run("key", "retire", "nope", "--yes")
    #expect(unknown.err == "error: no signing key has the kid nope.\n")
    // A kid is a base64url thumbprint and may start with "-": after "--" it is still a kid.
    let dashed = await bed.run("key", "retire", "--yes", "--", "-nope")
    #expect(dashed.err == "error: no signing key has the kid -nope.\n")

    bed.clock.advance(by: 3601)
    let retired = await bed.run("key", "retire", "--yes", "--", firstKid)
    #expect(retired.code == 0)
    #expect(try await bed.store.signingKeys()[0].state == .retired)
    let again = await bed.run("key", "retire", "--yes", "--", firstKid)
    #expect(again.err.contains("already retired"))
    #expect(
      try await bed.cliAudit().map(\.type) == [
        "cli.key.rotated", "cli.key.rotated", "cli.key.retired",
      ])
  }

  @Test func forceRetiresEarly() async throws {
    let bed = try CLITestbed()
    _ = await bed.run("key", "rotate")
    bed.clock.advance(by: 1)
    _ = await bed.run("key", "rotate", "--algorithm", "EdDSA")
    let keys = try await bed.store.signingKeys()
    #expect(keys.map(\.algorithm) == ["ES256", "EdDSA"])
    let forced = await bed.run("key", "retire", "--force", "--yes", "--", keys[0].kid)
    #expect(forced.code == 0)
    let bad = await bed.run("key", "rotate", "--algorithm", "HS256")
    #expect(bad.code == 1)
    #expect(try await bed.store.signingKeys().count == 2)
  }
}
