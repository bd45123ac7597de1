import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyFetch
import LatchkeyTestSupport
import Testing

/// The production fetcher against a real loopback server.
@Suite("URLSession fetcher: SSRF guard, redirects, size limit, deadline")
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
    // No Content-Length, no end: chunks until the client goes away.
    router.get("/endless") { _, _ in
      Response(
        status: .ok,
        body: ResponseBody { writer in
          let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 16_384)
          while true { try await writer.write(chunk) }
        })
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

  /// A body without `Content-Length` is cut off at the limit while it streams.
  @Test func aStreamedBodyPastTheLimitIsRefused() async throws {
    try await Self.documentServer().test(.live) { client in
      let port = try #require(client.port)
      let url = try #require(URL(string: "http://127.0.0.1:\(port)/endless"))
      await #expect(throws: HTTPFetchError.tooLarge) {
        try await URLSessionHTTPFetcher(allowPrivateAddresses: true).get(
          url, maxBytes: 65_536, timeout: 30)
      }
    }
  }

  /// A listener that accepts and never answers: the fetch ends as `timedOut` at its own
  /// deadline. FoundationNetworking alone waits for the session's 60 s instead.
  @Test func aServerThatNeverAnswersTimesOutAtTheFetchDeadline() async throws {
    try await SilentListener.with { port in
      let fetcher = URLSessionHTTPFetcher(allowPrivateAddresses: true)
      let url = try #require(URL(string: "http://127.0.0.1:\(port)/jwks.json"))
      let started = ContinuousClock.now
      await #expect(throws: HTTPFetchError.timedOut) {
        try await fetcher.get(url, maxBytes: 5120, timeout: 1)
      }
      await #expect(throws: HTTPFetchError.timedOut) {
        try await fetcher.post(url, body: [], headers: [:], maxBytes: 5120, timeout: 1)
      }
      #expect(ContinuousClock.now - started < .seconds(30), "two 1-second deadlines")
    }
  }

  /// Cancelling the calling task ends the fetch with `CancellationError`.
  @Test func aCancelledCallerStopsWaiting() async throws {
    try await SilentListener.with { port in
      let url = try #require(URL(string: "http://127.0.0.1:\(port)/doc"))
      let fetch = Task {
        try await URLSessionHTTPFetcher(allowPrivateAddresses: true).get(
          url, maxBytes: 5120, timeout: 600)
      }
      try await Task.sleep(for: .milliseconds(200))
      fetch.cancel()
      await #expect(throws: CancellationError.self) { try await fetch.value }
    }
  }
}
