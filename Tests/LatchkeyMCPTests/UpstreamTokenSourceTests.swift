import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Synchronization
import Testing

@testable import LatchkeyMCP

/// A fetcher answering every POST with one canned response, recording what was sent.
final class CannedPostFetcher: HTTPFetcher {
  let answer: Mutex<Result<HTTPFetchResponse, HTTPFetchError>>
  let sent = Mutex<[(url: URL, body: String, headers: [String: String])]>([])

  init(status: Int = 200, json: String) {
    answer = Mutex(
      .success(HTTPFetchResponse(status: status, headers: [:], body: Array(json.utf8))))
  }

  func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse {
    throw HTTPFetchError.unreachable
  }

  func post(
    _ url: URL, body: [UInt8], headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse {
    sent.withLock { $0.append((url, String(decoding: body, as: UTF8.self), headers)) }
    return try answer.withLock { $0 }.get()
  }
}

/// `RemoteUpstreamTokenSource` and `VerifiedIdentity.upstreamToken()` (issue 23 §4).
@Suite("Resource server: upstream tokens from the token vault")
struct UpstreamTokenSourceTests {
  static let endpoint = URL(string: "https://auth.example.com/upstream-token")!
  static let identity = VerifiedIdentity(
    subject: "alice", clientID: "c1", scopes: ScopeSet(["notes:read"]),
    audience: ["https://mcp.example.com/mcp"], tokenID: "j1", issuer: "https://auth.example.com",
    expiresAt: Date(timeIntervalSince1970: 2_000_000_000))

  static func source(_ fetcher: CannedPostFetcher, clock: FixedClock) -> RemoteUpstreamTokenSource {
    RemoteUpstreamTokenSource(
      endpoint: endpoint, clientID: "notes rs", clientSecret: "s3cret/+", fetcher: fetcher,
      clock: clock)
  }

  @Test func anActiveAnswerIsTheProvidersTokenAndIsReusedUntilNearItsExpiry() async throws {
    let fetcher = CannedPostFetcher(
      json:
        #"{"active":true,"access_token":"gho_abc","token_type":"bearer","expires_in":90,"scope":"read:user","provider":"github"}"#
    )
    let clock = FixedClock(Fixtures.epoch)
    let source = Self.source(fetcher, clock: clock)
    let token = try await source.upstreamToken(bearer: "lk.jwt+/=", identity: Self.identity)
    #expect(
      token
        == UpstreamAccessToken(
          provider: "github", accessToken: "gho_abc", tokenType: "bearer", scope: "read:user",
          expiresAt: Fixtures.epoch.addingTimeInterval(90)))
    let sent = try #require(fetcher.sent.withLock { $0.first })
    #expect(sent.url == Self.endpoint && sent.body == "token=lk.jwt%2B%2F%3D")
    #expect(
      sent.headers["authorization"]
        == "Basic " + Data("notes+rs:s3cret%2F%2B".utf8).base64EncodedString())
    clock.advance(by: 9)
    _ = try await source.upstreamToken(bearer: "lk.jwt+/=", identity: Self.identity)
    #expect(fetcher.sent.withLock { $0.count } == 1, "reused")
    clock.advance(by: 2)
    _ = try await source.upstreamToken(bearer: "lk.jwt+/=", identity: Self.identity)
    #expect(fetcher.sent.withLock { $0.count } == 2, "asked again after the 10 s cache")
    // A longer cache still ends 30 s before the upstream token expires.
    let patient = RemoteUpstreamTokenSource(
      endpoint: Self.endpoint, clientID: "c", clientSecret: "s", fetcher: fetcher, clock: clock,
      cacheDuration: 600)
    _ = try await patient.upstreamToken(bearer: "b", identity: Self.identity)
    clock.advance(by: 59)
    _ = try await patient.upstreamToken(bearer: "b", identity: Self.identity)
    #expect(fetcher.sent.withLock { $0.count } == 3, "reused")
    clock.advance(by: 2)
    _ = try await patient.upstreamToken(bearer: "b", identity: Self.identity)
    #expect(fetcher.sent.withLock { $0.count } == 4, "asked again 30 s before expiry")
  }

  @Test(arguments: [
    (
      #"{"active":false,"reason":"no_upstream_token"}"#, 200,
      UpstreamTokenUnavailable.noUpstreamToken
    ),
    (#"{"active":false,"reason":"upstream_refresh_failed"}"#, 200, .refreshFailed),
    (#"{"active":false,"reason":"upstream_token_unreadable"}"#, 200, .unreadable),
    (#"{"active":false}"#, 200, .inactiveToken),
    (#"{"active":true}"#, 200, .inactiveToken),
    (#"{"error":"unauthorized_client"}"#, 400, .authorizationServerUnavailable),
    ("not json", 200, .authorizationServerUnavailable),
    (#"{"error":"server_error"}"#, 500, .authorizationServerUnavailable),
  ])
  func everyRefusalHasItsReason(_ json: String, _ status: Int, _ expected: UpstreamTokenUnavailable)
    async throws
  {
    let source = Self.source(
      CannedPostFetcher(status: status, json: json), clock: FixedClock(Fixtures.epoch))
    await #expect(throws: expected) {
      try await source.upstreamToken(bearer: "t", identity: Self.identity)
    }
  }

  @Test func theIdentityCarriesItsAccessorButNeitherComparesNorEncodesIt() async throws {
    let fetcher = CannedPostFetcher(
      json: #"{"active":true,"access_token":"ya29.x","provider":"google"}"#)
    var identity = Self.identity
    await #expect(throws: UpstreamTokenUnavailable.noUpstreamToken) {
      try await identity.upstreamToken()
    }
    identity.upstream = UpstreamTokenAccessor(
      source: Self.source(fetcher, clock: FixedClock(Fixtures.epoch)), bearer: "the-bearer")
    #expect(try await identity.upstreamToken().accessToken == "ya29.x")
    #expect(fetcher.sent.withLock { $0.first?.body } == "token=the-bearer")
    #expect(identity == Self.identity && identity.hashValue == Self.identity.hashValue)
    let encoded = String(decoding: try JSONEncoder().encode(identity), as: UTF8.self)
    #expect(!encoded.contains("the-bearer") && !encoded.contains("upstream"))
    #expect(try JSONDecoder().decode(VerifiedIdentity.self, from: Data(encoded.utf8)) == identity)
  }
}
