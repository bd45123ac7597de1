public import Foundation

/// `requests` per `window` seconds.
public struct RateLimit: Sendable, Equatable {
  public var requests: Int
  public var window: TimeInterval

  public init(requests: Int, window: TimeInterval) {
    self.requests = max(1, requests)
    self.window = max(0.001, window)
  }

  public static func perMinute(_ requests: Int) -> RateLimit {
    RateLimit(requests: requests, window: 60)
  }

  /// No limit at all: `ToolCallRateLimiter` admits every call without keeping a bucket.
  public static let unlimited = RateLimit(requests: .max, window: 0.001)

  public var isUnlimited: Bool { requests == .max }
}
