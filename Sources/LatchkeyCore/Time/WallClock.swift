public import Foundation

/// The time seam: every rule that depends on "now" asks a `WallClock`, so tests pin time
/// with `FixedClock` instead of sleeping.
public protocol WallClock: Sendable {
  func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
  public init() {}
  public func now() -> Date { Date() }
}
