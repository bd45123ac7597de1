import Synchronization

/// Lends a caller's non-escaping builder closure to a transaction body that may outlive the
/// call (the operation deadline answers the caller without waiting for the body).
///
/// `withoutActuallyEscaping` traps if the closure is still referenced when its scope ends, so the
/// body never holds the closure itself: it calls through this box, under its lock, and the
/// caller `revoke`s the loan before the scope ends. A body still running after that gets
/// `CancellationError` instead of calling a closure whose scope is gone.
final class BorrowedBuilder<Input: Sendable, Output: Sendable>: Sendable {
  private let builder: Mutex<(@Sendable (Input) throws -> Output)?>

  init(_ builder: @escaping @Sendable (Input) throws -> Output) {
    self.builder = Mutex(builder)
  }

  /// Runs the builder while the loan lasts; the lock is held for the (synchronous) call, so
  /// `revoke` waits for a call in progress.
  func callAsFunction(_ input: Input) throws -> Output {
    try builder.withLock { builder in
      guard let builder else { throw CancellationError() }
      return try builder(input)
    }
  }

  /// Ends the loan: drops the only reference to the closure.
  func revoke() {
    builder.withLock { $0 = nil }
  }
}
