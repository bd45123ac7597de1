import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import NIOCore
import Testing

@testable import LatchkeyServer

/// The audit trail records the forwarded client address only from a trusted proxy.
@Suite("X-Forwarded-For from trusted proxies")
struct TrustedProxyTests {
  static func registerThroughProxy(trusted: [String]) async throws -> String? {
    var configured = EndpointHarness()
    configured.configuration.trustedProxies = trusted
    let h = configured
    let app = try await buildApplication(
      configuration: h.configuration.withPort(0), store: h.store, clock: h.clock,
      fetcher: StubHTTPFetcher())
    try await app.test(.live) { client in
      let response = try await client.execute(
        uri: "/register", method: .post,
        headers: [
          .contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: "198.51.100.7",
        ],
        body: ByteBuffer(
          string: #"{"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb"]}"#)
      )
      #expect(response.status == .created)
    }
    return try await h.store.auditEvents(matching: AuditQuery(type: "client.registered")).first?
      .sourceAddress
  }

  @Test func aTrustedProxyForwardsTheClientAddress() async throws {
    #expect(try await Self.registerThroughProxy(trusted: ["127.0.0.1"]) == "198.51.100.7")
  }

  @Test func anUntrustedPeerCannotChooseItsAddress() async throws {
    #expect(try await Self.registerThroughProxy(trusted: []) == "127.0.0.1")
  }
}

extension ServerConfiguration {
  func withPort(_ port: Int) -> ServerConfiguration {
    var copy = self
    copy.port = port
    return copy
  }
}
