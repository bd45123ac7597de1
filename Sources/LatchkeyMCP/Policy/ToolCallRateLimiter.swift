import Foundation
public import LatchkeyCore
import Synchronization

/// Limits `tools/call` per (client_id, sub): a token bucket per pair for the default limit,
/// and a separate bucket per (client_id, sub, tool) for tools with their own limit.
public final class ToolCallRateLimiter: Sendable {
  /// What `admit` decided.
  public enum Decision: Sendable, Equatable {
    /// The call may proceed.
    case allowed
    /// Over the limit; the caller may retry after this many whole seconds.
    case limited(retryAfter: Int)
  }

  private struct Bucket {
    var tokens: Double
    var updated: Date
  }

  private struct Key: Hashable {
    var clientID: String
    var subject: String
    var tool: String?
  }

  /// The limit per (client_id, sub) for tools without their own.
  public let defaultLimit: RateLimit
  /// Per-tool limits, each with its own bucket per (client_id, sub, tool).
  public let toolLimits: [String: RateLimit]
  private let clock: any WallClock
  private let maximumKeys: Int
  private let buckets = Mutex<[Key: Bucket]>([:])

  /// - Parameters:
  ///   - defaultLimit: calls per (client_id, sub) for tools not in `toolLimits`.
  ///   - toolLimits: limits replacing the default for the named tools.
  ///   - clock: the time source (a fixed clock in tests).
  ///   - maximumKeys: buckets kept at most; the least recently used go first.
  public init(
    defaultLimit: RateLimit = .perMinute(60), toolLimits: [String: RateLimit] = [:],
    clock: any WallClock = SystemClock(), maximumKeys: Int = 100_000
  ) {
    self.defaultLimit = defaultLimit
    self.toolLimits = toolLimits
    self.clock = clock
    self.maximumKeys = max(1, maximumKeys)
  }

  /// Takes one token from the caller's bucket for `tool`, or says how long to wait.
  public func admit(clientID: String?, subject: String, tool: String?) -> Decision {
    let override = tool.flatMap { toolLimits[$0] }
    let limit = override ?? defaultLimit
    if limit.isUnlimited { return .allowed }
    let key = Key(clientID: clientID ?? "", subject: subject, tool: override == nil ? nil : tool)
    let now = clock.now()
    let capacity = Double(limit.requests)
    let rate = capacity / limit.window
    return buckets.withLock { buckets in
      if buckets.count >= maximumKeys, buckets[key] == nil {
        // Full buckets are indistinguishable from fresh ones: forget them first.
        buckets = buckets.filter {
          $0.value.tokens + now.timeIntervalSince($0.value.updated) * rate < capacity
        }
        while buckets.count >= maximumKeys, let victim = buckets.keys.randomElement() {
          buckets[victim] = nil
        }
      }
      var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
      let elapsed = max(0, now.timeIntervalSince(bucket.updated))
      bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
      bucket.updated = now
      guard bucket.tokens >= 1 else {
        buckets[key] = bucket
        return .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))))
      }
      bucket.tokens -= 1
      buckets[key] = bucket
      return .allowed
    }
  }
}
