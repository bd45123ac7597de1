import Foundation
import Synchronization

/// Identities of tokens already verified, keyed by the SHA-256 of the token (the token itself
/// is never kept). Bounded: when full, expired entries go first, then random ones. An entry
/// is dropped at its token's `exp`.
final class VerifiedTokenCache: Sendable {
  private let capacity: Int
  private let entries: Mutex<[[UInt8]: VerifiedIdentity]>

  init(capacity: Int) {
    self.capacity = max(0, capacity)
    entries = Mutex([:])
  }

  func lookup(_ digest: [UInt8], now: Date) -> VerifiedIdentity? {
    entries.withLock { entries in
      guard let identity = entries[digest] else { return nil }
      if identity.expiresAt <= now {
        entries[digest] = nil
        return nil
      }
      return identity
    }
  }

  func insert(_ digest: [UInt8], _ identity: VerifiedIdentity, now: Date) {
    guard capacity > 0 else { return }
    entries.withLock { entries in
      if entries.count >= capacity, entries[digest] == nil {
        entries = entries.filter { $0.value.expiresAt > now }
        while entries.count >= capacity, let victim = entries.keys.randomElement() {
          entries[victim] = nil
        }
      }
      entries[digest] = identity
    }
  }

  var count: Int { entries.withLock { $0.count } }
}
