import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import Testing

@testable import LatchkeyServer

/// The production fetcher against a real loopback server.
@Suite("URLSession fetcher: SSRF guard, redirects, size limit")
struct URLSessionHTTPFetcherTests {
  static func documentServer() -> some ApplicationProtocol {
    let router = Router()
    router.get("/doc") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json", .cacheControl: "max-age=120"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
    }
    router.get("/moved") { _, _ in
      Response(status: .found, headers: [.location: "http://169.254.169.254/latest"])
    }
    router.get("/big") { _, _ in
      Response(
        status: .ok,
        body: .init(byteBuffer: ByteBuffer(string: String(repeating: "x", count: 10_000))))
    }
    return Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
  }

  @Test func loopbackIsForbiddenByDefault() async throws {
    try await Self.documentServer().test(.live) { client in
      let port = try #require(client.port)
      let url = try #require(URL(string: "http://127.0.0.1:\(port)/doc"))
      await #expect(throws: HTTPFetchError.forbiddenAddress) {
        try await URLSessionHTTPFetcher().get(url, maxBytes: 5120, timeout: 5)
      }
      let localhost = try #require(URL(string: "http://localhost:\(port)/doc"))
      await #expect(throws: HTTPFetchError.forbiddenAddress) {
        try await URLSessionHTTPFetcher().get(localhost, maxBytes: 5120, timeout: 5)
      }
    }
  }

  @Test func developmentModeFetchesButNeverFollowsRedirectsOrReadsPastTheLimit() async throws {
    try await Self.documentServer().test(.live) { client in
      let port = try #require(client.port)
      let fetcher = URLSessionHTTPFetcher(allowPrivateAddresses: true)
      let base = "http://127.0.0.1:\(port)"
      let document = try await fetcher.get(
        try #require(URL(string: base + "/doc")), maxBytes: 5120, timeout: 5)
      #expect(document.status == 200)
      #expect(document.headers["cache-control"] == "max-age=120")
      #expect(document.body == Array(#"{"ok":true}"#.utf8))
      await #expect(throws: HTTPFetchError.redirected) {
        try await fetcher.get(
          try #require(URL(string: base + "/moved")), maxBytes: 5120, timeout: 5)
      }
      await #expect(throws: HTTPFetchError.tooLarge) {
        try await fetcher.get(try #require(URL(string: base + "/big")), maxBytes: 5120, timeout: 5)
      }
    }
  }
}
