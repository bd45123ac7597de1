import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import NIOCore
import Testing

@testable import LatchkeyServer

/// Every JSON answer carries `nosniff`; token-bearing and error answers are never cached, while
/// public metadata may be.
@Suite("Headers on JSON responses")
struct ResponseHeaderTests {
  static let nosniff = HTTPField.Name("X-Content-Type-Options")!

  @Test func jsonEndpointsSendNosniffAndTheRightCachePolicy() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, _) = try await h.seedCode()
    try await h.test { client in
      let token = try await client.postForm("/token", Wire.tokenRequest(code: code))
      let error = try await client.postForm("/token", [("grant_type", "password")])
      let register = try await client.execute(
        uri: "/register", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(
          string: #"{"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb"]}"#)
      )
      let revoke = try await client.postForm(
        "/revoke", [("token", "x"), ("client_id", "public-client")])
      for (name, response) in [
        ("token", token), ("error", error), ("register", register), ("revoke", revoke),
      ] {
        #expect(response.headers[Self.nosniff] == "nosniff", "\(name)")
        #expect(response.headers[.cacheControl] == "no-store", "\(name)")
        #expect(response.headers[.contentType] == "application/json", "\(name)")
      }
      for path in ["/.well-known/oauth-authorization-server", "/jwks.json", "/healthz"] {
        let response = try await client.execute(uri: path, method: .get)
        #expect(response.headers[Self.nosniff] == "nosniff", "\(path)")
      }
      let metadata = try await client.execute(
        uri: "/.well-known/oauth-authorization-server", method: .get)
      #expect(metadata.headers[.cacheControl] == "public, max-age=300")
      // Discovery and JWKS answers are prepared once and shared: each response still gets
      // its own request id, exactly one, and the same body.
      let requestID = HTTPField.Name("X-Request-Id")!
      for (path, cacheControl) in [
        ("/.well-known/oauth-authorization-server", "public, max-age=300"),
        ("/jwks.json", "public, max-age=60"),
      ] {
        var ids: [String] = []
        var bodies: Set<String> = []
        for _ in 0..<3 {
          let response = try await client.execute(uri: path, method: .get)
          #expect(response.status == .ok)
          #expect(response.headers[.cacheControl] == cacheControl, "\(path)")
          #expect(response.headers[.accessControlAllowOrigin] == "*", "\(path)")
          #expect(response.headers[.contentType] == "application/json", "\(path)")
          #expect(response.headers[values: requestID].count == 1, "\(path)")
          ids += response.headers[values: requestID]
          bodies.insert(String(buffer: response.body))
        }
        #expect(Set(ids).count == 3, "\(path)")
        #expect(bodies.count == 1 && bodies.first?.hasPrefix("{") == true, "\(path)")
      }
    }
  }
}
