import Foundation
import Synchronization

/// Identities of tokens already verified, keyed by the SHA-256 of the token (the token itself
/// is never kept). Bounded: when full, expired entries go first, then random ones. An entry
/// is dropped at its token's `exp`.
final class VerifiedTokenCache: Sendable {
  /// A SHA-256 digest as four words: hashing it is four combines, not 32.
  struct Key: Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ digest: [UInt8]) {
      var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      withUnsafeMutableBytes(of: &words) { destination in
        destination.copyBytes(from: digest.prefix(32))
      }
      self.words = words
    }

    static func == (left: Key, right: Key) -> Bool {
      left.words == right.words
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(words.0)
      hasher.combine(words.1)
      hasher.combine(words.2)
      hasher.combine(words.3)
    }
  }

  private let capacity: Int
  private let entries: Mutex<[Key: VerifiedIdentity]>

  init(capacity: Int) {
    self.capacity = max(0, capacity)
    entries = Mutex([:])
  }

  func lookup(_ digest: [UInt8], now: Date) -> VerifiedIdentity? {
    let key = Key(digest)
    return entries.withLock { entries in
      guard let identity = entries[key] else { return nil }
      if identity.expiresAt <= now {
        entries[key] = nil
        return nil
      }
      return identity
    }
  }

  func insert(_ digest: [UInt8], _ identity: VerifiedIdentity, now: Date) {
    guard capacity > 0 else { return }
    let key = Key(digest)
    entries.withLock { entries in
      if entries.count >= capacity, entries[key] == nil {
        entries = entries.filter { $0.value.expiresAt > now }
        while entries.count >= capacity, let victim = entries.keys.randomElement() {
          entries[victim] = nil
        }
      }
      entries[key] = identity
    }
  }

  var count: Int { entries.withLock { $0.count } }
}
