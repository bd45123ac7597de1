public import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  public import FoundationNetworking
#endif

/// The URLSession delegate behind `URLSessionHTTPFetcher` (and `latchkey doctor --remote`): it
/// enforces each fetch's bounds itself, because URLSession does not.
///
/// - Time: on Linux, FoundationNetworking times a request out after the session's
///   `timeoutIntervalForRequest` (60 s), not the request's `timeoutInterval`; measured here, a
///   listener that never answers held a 2-second fetch for 60 s. So each fetch has its own
///   deadline, which cancels the task.
/// - Size: the body is counted as it arrives and the task cancelled past `maxBytes` (or at once
///   when `Content-Length` already says so), instead of buffering a body of any size first.
/// - Redirects are never followed (the 3xx answer is returned), and authentication challenges
///   are refused: unanswered, FoundationNetworking on Linux waits for an answer that never
///   comes.
///
/// One delegate serves any number of fetches on its session, or one per session.
public final class FetchDelegate: NSObject, URLSessionDataDelegate, Sendable {
  private let fetches = Mutex<[Int: Fetch]>([:])

  /// A delegate with no fetch in flight; give it to the `URLSession` that `load` will use.
  override public init() { super.init() }

  /// Runs `request` on `session` (whose delegate is this object) and returns the body and the
  /// response (a 3xx one included), or throws `FetchFailure`, or `CancellationError` when the
  /// calling task is cancelled.
  /// - Parameters:
  ///   - request: the request to send.
  ///   - session: the session this object is the delegate of.
  ///   - maxBytes: the largest body accepted.
  ///   - timeout: seconds from now until the fetch is abandoned.
  public func load(
    _ request: URLRequest, in session: URLSession, maxBytes: Int, timeout: TimeInterval
  ) async throws -> ([UInt8], HTTPURLResponse) {
    let task = session.dataTask(with: request)
    let handle = TaskHandle(task)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let fetch = Fetch(maxBytes: maxBytes, continuation: continuation)
        fetches.withLock { $0[task.taskIdentifier] = fetch }
        task.resume()
        if Task.isCancelled, fetch.fail(CancellationError()) { handle.cancel() }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(timeout, 0)) {
          if fetch.fail(FetchFailure.timedOut) { handle.cancel() }
        }
      }
    } onCancel: {
      if let fetch = fetches.withLock({ $0[handle.identifier] }), fetch.fail(CancellationError()) {
        handle.cancel()
      }
    }
  }

  public func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    let fetch = fetches.withLock { $0[dataTask.taskIdentifier] }
    guard let fetch, fetch.accept(response) else {
      completionHandler(.cancel)
      return
    }
    completionHandler(.allow)
  }

  public func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data
  ) {
    let fetch = fetches.withLock { $0[dataTask.taskIdentifier] }
    if let fetch, !fetch.append(data) { dataTask.cancel() }
  }

  public func urlSession(
    _ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?
  ) {
    fetches.withLock { $0.removeValue(forKey: task.taskIdentifier) }?.finish(error)
  }

  public func urlSession(
    _ session: URLSession, task: URLSessionTask,
    willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
    completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }

  public func urlSession(
    _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
    completionHandler:
      @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
  ) {
    completionHandler(.cancelAuthenticationChallenge, nil)
  }
}

/// A data task, cancellable from the deadline timer and the task-cancellation handler.
private final class TaskHandle: @unchecked Sendable {
  // `URLSessionTask` is thread-safe (cancel and taskIdentifier may be called from any thread)
  // but not declared Sendable by FoundationNetworking.
  private let task: URLSessionDataTask
  let identifier: Int

  init(_ task: URLSessionDataTask) {
    self.task = task
    identifier = task.taskIdentifier
  }

  func cancel() { task.cancel() }
}

/// One fetch in flight: its body so far, its limit, the first failure, and the caller.
private final class Fetch: Sendable {
  typealias Loaded = ([UInt8], HTTPURLResponse)

  private struct State {
    var body: [UInt8] = []
    var response: HTTPURLResponse?
    var failure: (any Error)?
    var continuation: CheckedContinuation<Loaded, any Error>?
  }

  private let maxBytes: Int
  private let state: Mutex<State>

  init(maxBytes: Int, continuation: CheckedContinuation<Loaded, any Error>) {
    self.maxBytes = maxBytes
    state = Mutex(State(continuation: continuation))
  }

  /// Records `failure` unless the fetch already failed or finished; true when it was recorded
  /// (the caller then cancels the task, whose completion reports it).
  func fail(_ failure: any Error) -> Bool {
    state.withLock { state in
      guard state.failure == nil, state.continuation != nil else { return false }
      state.failure = failure
      return true
    }
  }

  /// Keeps the response; false (cancel) when it is not HTTP or announces too large a body.
  func accept(_ response: URLResponse) -> Bool {
    guard let http = response as? HTTPURLResponse else {
      _ = fail(FetchFailure.notHTTP)
      return false
    }
    if http.expectedContentLength > Int64(maxBytes) {
      _ = fail(FetchFailure.tooLarge)
      return false
    }
    state.withLock { $0.response = http }
    return true
  }

  /// Appends a chunk; false (cancel) once the body exceeds the limit.
  func append(_ data: Data) -> Bool {
    state.withLock { state in
      guard state.failure == nil else { return false }
      guard state.body.count + data.count <= maxBytes else {
        state.failure = FetchFailure.tooLarge
        state.body = []
        return false
      }
      state.body.append(contentsOf: data)
      return true
    }
  }

  /// Resumes the caller once, with the recorded failure, URLSession's error or the body.
  func finish(_ error: (any Error)?) {
    let (continuation, result) = state.withLock { state in
      defer { state.continuation = nil }
      return (state.continuation, Self.result(of: state, error: error))
    }
    continuation?.resume(with: result)
  }

  /// What the caller gets: the first recorded failure, else URLSession's error (`timedOut` or
  /// `unreachable`), else the body and response.
  private static func result(of state: State, error: (any Error)?) -> Result<Loaded, any Error> {
    if let failure = state.failure { return .failure(failure) }
    if let error { return .failure(FetchFailure(urlSessionError: error)) }
    guard let response = state.response else { return .failure(FetchFailure.noResponse) }
    return .success((state.body, response))
  }
}
