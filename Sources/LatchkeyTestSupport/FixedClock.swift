public import Foundation
public import LatchkeyCore
import Synchronization

/// A clock that only moves when a test moves it.
public final class FixedClock: WallClock {
  private let current: Mutex<Date>

  public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
    current = Mutex(start)
  }

  public func now() -> Date { current.withLock { $0 } }

  public func advance(by seconds: TimeInterval) {
    current.withLock { $0 = $0.addingTimeInterval(seconds) }
  }

  public func set(_ date: Date) {
    current.withLock { $0 = date }
  }
}
