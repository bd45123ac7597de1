import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import NIOCore
import Testing

@testable import LatchkeyServer

/// Registration caps (issue 8 point 7) with real sources: over a socket, behind a trusted proxy
/// whose `X-Forwarded-For` names the client, so several sources can be told apart.
@Suite("Limits: registration caps per source and globally")
struct LimitTests {
  static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

  static func register(
    _ client: any TestClientProtocol, from address: String, _ index: Int
  ) async throws -> TestResponse {
    try await client.execute(
      uri: "/register", method: .post,
      headers: [.contentType: "application/json", forwardedFor: address],
      body: ByteBuffer(
        string:
          #"{"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb\#(index)"]}"#
      ))
  }

  static func live(
    perSource: Int, global: Int,
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
  ) async throws -> EndpointHarness {
    var configured = EndpointHarness()
    configured.configuration.trustedProxies = ["127.0.0.1"]
    configured.configuration.registration.perMinutePerSource = perSource
    configured.configuration.registration.perMinuteGlobal = global
    let h = configured
    let app = try await buildApplication(
      configuration: h.configuration.withPort(0), store: h.store, clock: h.clock,
      fetcher: StubHTTPFetcher())
    try await app.test(.live) { client in try await body(client) }
    return h
  }

  static func expectSlowDown(_ response: TestResponse) throws {
    #expect(response.status == .tooManyRequests)
    #expect(try Wire.errorCode(response) == "slow_down")
    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
  }

  @Test func oneSourcesFloodDoesNotCapAnotherSource() async throws {
    let h = try await Self.live(perSource: 3, global: 1_000) { client in
      for index in 0..<3 {
        #expect(try await Self.register(client, from: "198.51.100.7", index).status == .created)
      }
      for index in 3..<10 {
        try Self.expectSlowDown(try await Self.register(client, from: "198.51.100.7", index))
      }
      // A legitimate client elsewhere registers as usual while the flood goes on.
      let legitimate = try await Self.register(client, from: "203.0.113.9", 99)
      #expect(legitimate.status == .created)
    }
    #expect(try await h.store.clients().count == 4)
  }

  @Test func theGlobalCapHoldsAcrossSources() async throws {
    let h = try await Self.live(perSource: 1_000, global: 4) { client in
      for index in 0..<4 {
        let response = try await Self.register(client, from: "198.51.100.\(index + 1)", index)
        #expect(response.status == .created)
      }
      try Self.expectSlowDown(try await Self.register(client, from: "198.51.100.50", 50))
    }
    #expect(try await h.store.clients().count == 4)
  }
}
