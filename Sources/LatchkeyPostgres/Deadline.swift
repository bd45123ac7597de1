import Synchronization

/// Runs `body` and answers within `timeout` whatever `body` does: the first of the body's result
/// and the deadline resumes the caller, and the other is ignored. Unlike a task group, which
/// waits for every child before returning, this does not hang when `body` ignores cancellation
/// (a query in flight on a connection whose server just went away can wait for TCP to notice);
/// the body is cancelled and left to finish on its own. Cancelling the caller resumes it at
/// once with `CancellationError`.
func raceAgainstDeadline<T: Sendable>(
  timeout: Duration, onTimeout: @escaping @Sendable () -> any Error,
  operation body: @escaping @Sendable () async throws -> T
) async throws -> T {
  let race = FirstResume<T>()
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { continuation in
      race.install(continuation)
      let work = Task {
        do {
          race.resume(with: .success(try await body()))
        } catch {
          race.resume(with: .failure(error))
        }
      }
      let timer = Task {
        try? await Task.sleep(for: timeout)
        if race.resume(with: .failure(onTimeout())) { work.cancel() }
      }
      race.onSettled {
        timer.cancel()
        work.cancel()
      }
    }
  } onCancel: {
    race.resume(with: .failure(CancellationError()))
  }
}

/// A continuation that is resumed once: later results are dropped.
private final class FirstResume<T: Sendable>: Sendable {
  private struct State {
    var continuation: CheckedContinuation<T, any Error>?
    var early: Result<T, any Error>?
    var settled = false
    var onSettled: (@Sendable () -> Void)?
  }

  private let state = Mutex(State())

  func install(_ continuation: CheckedContinuation<T, any Error>) {
    let early: Result<T, any Error>? = state.withLock { state in
      guard let early = state.early else {
        state.continuation = continuation
        return nil
      }
      state.early = nil
      return early
    }
    if let early { continuation.resume(with: early) }
  }

  /// Registers clean-up run once when the race is decided (at once if it already is).
  func onSettled(_ action: @escaping @Sendable () -> Void) {
    let now = state.withLock { state in
      guard state.settled else {
        state.onSettled = action
        return false
      }
      return true
    }
    if now { action() }
  }

  /// Resumes the caller unless an earlier result did; true when this result won.
  @discardableResult
  func resume(with result: Result<T, any Error>) -> Bool {
    let (won, continuation, action) = state.withLock {
      state -> (Bool, CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
      guard !state.settled else { return (false, nil, nil) }
      state.settled = true
      let continuation = state.continuation
      state.continuation = nil
      if continuation == nil { state.early = result }
      let action = state.onSettled
      state.onSettled = nil
      return (true, continuation, action)
    }
    continuation?.resume(with: result)
    action?()
    return won
  }
}
