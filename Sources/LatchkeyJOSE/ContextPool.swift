import COpenSSL
import Synchronization

/// An initialised OpenSSL operation context (`EVP_PKEY_CTX` or `EVP_MD_CTX`). Contexts are not
/// thread-safe; a handle is only ever used by the one thread that took it from the pool.
struct ContextHandle: @unchecked Sendable {
  let pointer: OpaquePointer
}

/// A small lock-protected pool of reusable contexts for one key and operation. Creating and
/// initialising a context costs about as much as an ECDSA signature, so keys keep them.
final class ContextPool: Sendable {
  private let idle = Mutex<[ContextHandle]>([])
  private let make: @Sendable () -> ContextHandle?
  private let release: @Sendable (ContextHandle) -> Void
  private let capacity: Int

  init(
    capacity: Int = 16, make: @escaping @Sendable () -> ContextHandle?,
    release: @escaping @Sendable (ContextHandle) -> Void
  ) {
    self.capacity = capacity
    self.make = make
    self.release = release
  }

  deinit {
    for handle in idle.withLock({ $0 }) { release(handle) }
  }

  /// Runs `body` with a context taken from the pool (or a new one), then returns it.
  /// Returns nil when no context can be created.
  func withContext<Result>(_ body: (OpaquePointer) -> Result) -> Result? {
    guard let handle = idle.withLock({ $0.popLast() }) ?? make() else {
      ERR_clear_error()
      return nil
    }
    let result = body(handle.pointer)
    let kept = idle.withLock { contexts -> Bool in
      guard contexts.count < capacity else { return false }
      contexts.append(handle)
      return true
    }
    if !kept { release(handle) }
    return result
  }
}
