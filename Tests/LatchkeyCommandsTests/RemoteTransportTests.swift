import Foundation
import HummingbirdTesting
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

/// `URLSessionRemoteTransport` keeps its bounds itself: a deadline and a body limit.
@Suite("doctor --remote transport bounds")
struct RemoteTransportTests {
  @Test func aServerThatNeverAnswersTimesOut() async throws {
    try await SilentListener.with { port in
      let started = ContinuousClock.now
      let answer = await URLSessionRemoteTransport().send(
        RemoteRequest(method: "GET", url: try #require(URL(string: "http://127.0.0.1:\(port)/"))),
        maxBytes: 1024, timeout: 1)
      #expect(answer == .failed("timed out after 1 s"))
      #expect(ContinuousClock.now - started < .seconds(10))
    }
  }

  @Test func aBodyOverTheLimitIsRefused() async throws {
    try await MisconfiguredDeployment.healthy.application().test(.live) { client in
      let port = try #require(client.port)
      let url = try #require(
        URL(string: "http://127.0.0.1:\(port)/.well-known/oauth-authorization-server"))
      let small = await URLSessionRemoteTransport().send(
        RemoteRequest(method: "GET", url: url), maxBytes: 16, timeout: 5)
      #expect(small == .failed("body over 16 bytes"))
      let whole = await URLSessionRemoteTransport().send(
        RemoteRequest(method: "GET", url: url), maxBytes: 4096, timeout: 5)
      #expect(whole.status == 200)
    }
  }
}
