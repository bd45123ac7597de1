public import Foundation

/// `requests` per `window` seconds.
public struct RateLimit: Sendable, Equatable {
  /// Calls admitted per window (at least 1); `Int.max` means unlimited.
  public var requests: Int
  /// The window in seconds over which `requests` refill.
  public var window: TimeInterval

  /// A limit of `requests` per `window` seconds, clamped to at least 1 request and 1 ms.
  public init(requests: Int, window: TimeInterval) {
    self.requests = max(1, requests)
    self.window = max(0.001, window)
  }

  /// `requests` per 60 seconds.
  public static func perMinute(_ requests: Int) -> RateLimit {
    RateLimit(requests: requests, window: 60)
  }

  /// No limit at all: `ToolCallRateLimiter` admits every call without keeping a bucket.
  public static let unlimited = RateLimit(requests: .max, window: 0.001)

  /// Whether this is ``unlimited``.
  public var isUnlimited: Bool { requests == .max }
}
