public import Foundation

/// The time seam: every rule that depends on "now" asks a `WallClock`, so tests pin time
/// with `FixedClock` instead of sleeping.
public protocol WallClock: Sendable {
  /// The current time.
  func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
  /// The system clock.
  public init() {}
  /// `Date()`.
  public func now() -> Date { Date() }
}
