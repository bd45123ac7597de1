import Foundation
import LatchkeyCore
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production `RemoteTransport`: one ephemeral URLSession per request (no cookies, no
/// cache, no credentials), redirects not followed, authentication challenges refused, the body
/// counted as it streams and the task cancelled past `maxBytes` or past its own deadline
/// (FoundationNetworking on Linux honours neither bound by itself; see `FetchDelegate`).
/// Loopback and private targets are allowed: the operator chose the URL.
struct URLSessionRemoteTransport: RemoteTransport {
  func send(_ request: RemoteRequest, maxBytes: Int, timeout: TimeInterval) async -> RemoteAnswer {
    var urlRequest = URLRequest(url: request.url, timeoutInterval: timeout)
    urlRequest.httpMethod = request.method
    for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
    if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.urlCache = nil
    configuration.urlCredentialStorage = nil
    configuration.timeoutIntervalForRequest = timeout
    let loader = BoundedLoader(maxBytes: maxBytes, timeout: timeout)
    let session = URLSession(configuration: configuration, delegate: loader, delegateQueue: nil)
    defer { session.invalidateAndCancel() }
    return await loader.load(urlRequest, in: session, timeout: timeout)
  }
}

/// The delegate of one request's session: resumes its caller exactly once, with the response,
/// `timed out after 5 s`, `body over N bytes` or `unreachable (…)`.
private final class BoundedLoader: NSObject, URLSessionDataDelegate, Sendable {
  private struct State {
    var body: [UInt8] = []
    var response: HTTPURLResponse?
    var failure: String?
    var continuation: CheckedContinuation<RemoteAnswer, Never>?
  }

  private let maxBytes: Int
  private let timedOut: String
  private let state = Mutex(State())

  init(maxBytes: Int, timeout: TimeInterval) {
    self.maxBytes = maxBytes
    timedOut = "timed out after \(Int(timeout)) s"
  }

  func load(_ request: URLRequest, in session: URLSession, timeout: TimeInterval) async
    -> RemoteAnswer
  {
    let task = TaskBox(session.dataTask(with: request))
    return await withCheckedContinuation { continuation in
      state.withLock { $0.continuation = continuation }
      task.resume()
      DispatchQueue.global().asyncAfter(deadline: .now() + max(timeout, 0)) { [self] in
        if fail(timedOut) { task.cancel() }
      }
    }
  }

  /// Records the first failure; true when recorded (the caller cancels the task).
  private func fail(_ reason: String) -> Bool {
    state.withLock { state in
      guard state.failure == nil, state.continuation != nil else { return false }
      state.failure = reason
      return true
    }
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    guard let http = response as? HTTPURLResponse else {
      _ = fail("not an HTTP response")
      return completionHandler(.cancel)
    }
    if http.expectedContentLength > Int64(maxBytes) {
      _ = fail("body over \(maxBytes) bytes")
      return completionHandler(.cancel)
    }
    state.withLock { $0.response = http }
    completionHandler(.allow)
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    let keep = state.withLock { state in
      guard state.failure == nil else { return false }
      guard state.body.count + data.count <= maxBytes else {
        state.failure = "body over \(maxBytes) bytes"
        state.body = []
        return false
      }
      state.body.append(contentsOf: data)
      return true
    }
    if !keep { dataTask.cancel() }
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?
  ) {
    let (continuation, answer) = state.withLock { state in
      defer { state.continuation = nil }
      return (state.continuation, outcome(state, error: error))
    }
    continuation?.resume(returning: answer)
  }

  private func outcome(_ state: State, error: (any Error)?) -> RemoteAnswer {
    if let failure = state.failure { return .failed(failure) }
    if let error {
      let code = (error as NSError).code
      if (error as? URLError)?.code == .timedOut || code == NSURLErrorTimedOut {
        return .failed(timedOut)
      }
      return .failed("unreachable (\(error.localizedDescription))")
    }
    guard let http = state.response else { return .failed("no response") }
    var headers: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      if let name = name as? String, let value = value as? String {
        headers[name.lowercased()] = value
      }
    }
    return .response(HTTPFetchResponse(status: http.statusCode, headers: headers, body: state.body))
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask,
    willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
    completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
    completionHandler:
      @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
  ) {
    completionHandler(.cancelAuthenticationChallenge, nil)
  }
}

/// A data task usable from the deadline timer (URLSessionTask is thread-safe but not declared
/// Sendable by FoundationNetworking).
private final class TaskBox: @unchecked Sendable {
  private let task: URLSessionDataTask
  init(_ task: URLSessionDataTask) { self.task = task }
  func resume() { task.resume() }
  func cancel() { task.cancel() }
}
