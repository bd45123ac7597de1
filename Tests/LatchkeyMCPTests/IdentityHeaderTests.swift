import Foundation
import LatchkeyCore
import LatchkeyMCP
import Testing

@testable import LatchkeyMCPSwiftSDK

/// The identity header's codings are remembered per identity and per value; answers must be
/// those of a fresh coding.
@Suite struct IdentityHeaderTests {
  static func identity(_ subject: String) -> VerifiedIdentity {
    VerifiedIdentity(
      subject: subject, clientID: "client-1", scopes: ScopeSet(["notes:read"]),
      audience: ["https://mcp.example.com/mcp"], tokenID: "jti-\(subject)",
      issuer: "https://auth.example.com", expiresAt: Date(timeIntervalSince1970: 1_900_000_000))
  }

  @Test func roundTripsAndRepeatsGiveTheSameAnswers() throws {
    let alice = Self.identity("alice-\(UUID())")
    let first = try #require(IdentityHeader.encode(alice))
    #expect(IdentityHeader.encode(alice) == first)
    #expect(IdentityHeader.decode(first) == alice)
    #expect(IdentityHeader.decode(first) == alice)
    let fresh = try JSONDecoder().decode(
      VerifiedIdentity.self, from: try #require(Data(base64Encoded: first)))
    #expect(fresh == alice)
    let bob = Self.identity("bob-\(UUID())")
    #expect(IdentityHeader.encode(bob) != first)
    #expect(IdentityHeader.decode(try #require(IdentityHeader.encode(bob))) == bob)
  }

  @Test func valuesThatAreNotOursDecodeToNothing() {
    #expect(IdentityHeader.decode("not base64 !") == nil)
    #expect(IdentityHeader.decode(Data("{}".utf8).base64EncodedString()) == nil)
  }

  @Test func rememberedAnswersAreBounded() {
    var answers = RecentAnswers<Int, Int>()
    for key in 0..<(RecentAnswers<Int, Int>.capacity + 10) { answers[key] = key * 2 }
    #expect(answers.count <= RecentAnswers<Int, Int>.capacity)
    let last = RecentAnswers<Int, Int>.capacity + 9
    #expect(answers[last] == last * 2)
  }
}
