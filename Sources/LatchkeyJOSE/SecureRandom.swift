import COpenSSL
import Synchronization

/// Cryptographically secure random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
///
/// Small requests (tokens, ids, nonces) are served from a `RandomReserve`: OpenSSL's DRBG
/// output drawn 4 KiB at a time, each byte handed out once and then overwritten. One
/// `RAND_bytes` call costs about 4 µs in a loaded server (the DRBG re-keys its AES-CTR state on
/// every call, whatever the size), 2 % of a token request's CPU for its two random values;
/// drawn in blocks it is a copy. The reserve holds nothing an attacker who can read the
/// process's memory could not already get: OpenSSL's DRBG state, which predicts its next
/// output, sits in the same memory, as do the signing keys.
public enum SecureRandom {
  /// `count` random bytes. Stops the process if the CSPRNG fails: continuing without
  /// randomness would mint guessable secrets.
  public static func bytes(_ count: Int) -> [UInt8] {
    precondition(count >= 0, "negative byte count")
    if count == 0 { return [] }
    if count > RandomReserve.largestServed { return drawn(count) }
    return reserve.take(count)
  }

  /// A base64url token of `byteCount` random bytes (default 32 bytes = 256 bits; RFC 6749 §10.10
  /// asks for at least 128 bits of entropy for codes and tokens).
  public static func token(byteCount: Int = 32) -> String {
    Base64URL.encode(bytes(byteCount))
  }

  /// `count` bytes straight from `RAND_bytes`.
  static func drawn(_ count: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let base = buffer.baseAddress, RAND_bytes(base, Int32(count)) == 1 else {
        fatalError("OpenSSL RAND_bytes failed")
      }
      initialized = count
    }
  }

  private static let reserve = RandomReserve()
}

/// CSPRNG output drawn in blocks and handed out in order, each byte once: a byte is zeroed as
/// it is handed out, and a block is replaced (its unused tail zeroed first) when the next
/// request does not fit in what is left.
final class RandomReserve: Sendable {
  /// Bytes drawn from OpenSSL at a time.
  static let blockSize = 4096
  /// Requests larger than this go to `RAND_bytes` directly.
  static let largestServed = 256

  private struct State: Sendable {
    var block: [UInt8] = []
    var next = 0
  }

  private let state = Mutex(State())

  /// The next `count` unused bytes (`count` ≤ `largestServed`).
  func take(_ count: Int) -> [UInt8] {
    state.withLock { state in
      if state.block.count - state.next < count {
        for index in state.next..<state.block.count { state.block[index] = 0 }
        state.block = SecureRandom.drawn(Self.blockSize)
        state.next = 0
      }
      let range = state.next..<(state.next + count)
      let taken = Array(state.block[range])
      for index in range { state.block[index] = 0 }
      state.next += count
      return taken
    }
  }
}
