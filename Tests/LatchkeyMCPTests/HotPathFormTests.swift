import Foundation
import LatchkeyJOSE
import Testing

@testable import LatchkeyMCP

/// The hot-path forms that replaced Foundation formatting and array-keyed hashing give the
/// same answers.
@Suite struct HotPathFormTests {
  static func record(latency: Duration) -> ToolCallAuditRecord {
    ToolCallAuditRecord(
      time: Date(timeIntervalSince1970: 0), subject: "s", clientID: nil, resource: "r",
      tool: "t", decision: .allowed, latency: latency, outcome: "http_200")
  }

  @Test(arguments: [
    Duration.zero, .milliseconds(3), .microseconds(1), .nanoseconds(499), .nanoseconds(500),
    .nanoseconds(1_499), .microseconds(999), .microseconds(1_000), .microseconds(123_456),
    .seconds(2) + .nanoseconds(345_678), .seconds(90_000) + .microseconds(7),
  ])
  func latencyIsPrintedAsPercentPoint3f(latency: Duration) {
    let (seconds, attoseconds) = latency.components
    let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
    #expect(
      Self.record(latency: latency).latencyMilliseconds(latency)
        == String(format: "%.3f", milliseconds))
  }

  @Test func cacheKeysAreEqualExactlyWhenDigestsAre() {
    let one = Digest.sha256("token-one")
    let two = Digest.sha256("token-two")
    #expect(VerifiedTokenCache.Key(one) == VerifiedTokenCache.Key(one))
    #expect(VerifiedTokenCache.Key(one) != VerifiedTokenCache.Key(two))
    var flipped = one
    flipped[31] ^= 1
    #expect(VerifiedTokenCache.Key(one) != VerifiedTokenCache.Key(flipped))
    #expect(Set([one, two, flipped].map(VerifiedTokenCache.Key.init)).count == 3)
  }
}
