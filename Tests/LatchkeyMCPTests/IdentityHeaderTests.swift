import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyMCP
import NIOCore
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

  /// A client cannot name an accessor or an identity: the glue drops both headers and puts
  /// back only its own (issue 23 §4, the upstream token inside swift-sdk tools).
  @Test func clientSentIdentityAndAccessorHeadersAreReplaced() throws {
    var head = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:1", path: "/mcp")
    head.headerFields[HTTPField.Name(UpstreamAccessors.name)!] = "guessed-key"
    head.headerFields[HTTPField.Name(IdentityHeader.name)!] = "forged"
    head.headerFields[.contentType] = "application/json"
    let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
    let forwarded = MCPHTTPConversion.mcpRequest(
      request, body: Data(), identity: nil, forceSSEAccept: false)
    #expect(
      forwarded.headers.keys.allSatisfy { $0.lowercased() != UpstreamAccessors.canonicalName })
    #expect(forwarded.headers.keys.allSatisfy { $0.lowercased() != IdentityHeader.canonicalName })
    #expect(forwarded.headers["content-type"] == "application/json")
    let alice = Self.identity("alice-\(UUID())")
    let ours = MCPHTTPConversion.mcpRequest(
      request, body: Data(), identity: alice, forceSSEAccept: false, upstreamKey: "our-key")
    #expect(ours.headers[UpstreamAccessors.name] == "our-key")
    #expect(ours.headers[IdentityHeader.name] == IdentityHeader.encode(alice))
    // A key nobody registered finds nothing.
    #expect(UpstreamAccessors.accessor("guessed-key") == nil)
  }
}
