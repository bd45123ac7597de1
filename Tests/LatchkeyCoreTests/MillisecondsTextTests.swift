import Foundation
import LatchkeyCore
import Testing

/// `MillisecondsText.fixed` prints what `String(format: "%.Nf")` prints for the milliseconds.
@Suite struct MillisecondsTextTests {
  @Test(arguments: [
    Duration.zero, .nanoseconds(1), .nanoseconds(499), .nanoseconds(500), .microseconds(4),
    .microseconds(5), .microseconds(999), .milliseconds(12), .microseconds(99_996),
    .seconds(3) + .microseconds(10_001), .seconds(90_000) + .nanoseconds(7_654_321),
  ])
  func matchesPrintf(duration: Duration) {
    let (seconds, attoseconds) = duration.components
    let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
    for decimals in [1, 2, 3, 6] {
      #expect(
        MillisecondsText.fixed(duration, decimals: decimals)
          == String(format: "%.\(decimals)f", milliseconds))
    }
  }
}
