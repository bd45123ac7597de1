import Foundation
import LatchkeyCore
import LatchkeyFetch

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production `RemoteTransport`: one ephemeral URLSession per request (no cookies, no
/// cache, no credentials) whose delegate is LatchkeyFetch's `FetchDelegate`: redirects not
/// followed (the 3xx answer is returned), authentication challenges refused, the body counted
/// as it streams and the task cancelled past `maxBytes` or past its own deadline
/// (FoundationNetworking on Linux honours neither bound by itself).
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
    let delegate = FetchDelegate()
    let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    defer { session.invalidateAndCancel() }
    do {
      let (body, http) = try await delegate.load(
        urlRequest, in: session, maxBytes: maxBytes, timeout: timeout)
      return .response(HTTPFetchResponse(http, body: body))
    } catch let failure as FetchFailure {
      return .failed(Self.reason(failure, maxBytes: maxBytes, timeout: timeout))
    } catch {
      return .failed("cancelled")
    }
  }

  /// `timed out after 5 s`, `body over N bytes`, `unreachable (…)`: what the report prints.
  static func reason(_ failure: FetchFailure, maxBytes: Int, timeout: TimeInterval) -> String {
    switch failure {
    case .timedOut: "timed out after \(Int(timeout)) s"
    case .tooLarge: "body over \(maxBytes) bytes"
    case .notHTTP: "not an HTTP response"
    case .noResponse: "no response"
    case .unreachable(let description): "unreachable (\(description))"
    }
  }
}
