public import LatchkeyCore

#if canImport(FoundationNetworking)
  import Foundation
  public import FoundationNetworking
#else
  public import Foundation
#endif

/// Why a `FetchDelegate` load ended without a response.
public enum FetchFailure: Error, Sendable, Equatable {
  /// The fetch's deadline passed, or URLSession timed out first.
  case timedOut
  /// `Content-Length`, or the body as it arrived, exceeded `maxBytes`.
  case tooLarge
  /// The answer was not an HTTP response.
  case notHTTP
  /// The task completed without a response.
  case noResponse
  /// URLSession failed (no connection, TLS, DNS …), with its description.
  case unreachable(String)

  /// URLSession's completion error: a timeout (`URLError.timedOut`, or `NSURLErrorTimedOut`
  /// where FoundationNetworking does not bridge it to `URLError`) or `unreachable`.
  init(urlSessionError error: any Error) {
    let bridged = error as NSError
    if (error as? URLError)?.code == .timedOut
      || (bridged.domain == NSURLErrorDomain && bridged.code == NSURLErrorTimedOut)
    {
      self = .timedOut
    } else {
      self = .unreachable(error.localizedDescription)
    }
  }

  /// The `HTTPFetcher` seam's error for it.
  public var fetchError: HTTPFetchError {
    switch self {
    case .timedOut: .timedOut
    case .tooLarge: .tooLarge
    case .notHTTP, .noResponse, .unreachable: .unreachable
    }
  }
}

extension HTTPFetchResponse {
  /// The response's status and headers (names lower-cased), with `body`.
  public init(_ response: HTTPURLResponse, body: [UInt8]) {
    var headers: [String: String] = [:]
    for (name, value) in response.allHeaderFields {
      if let name = name as? String, let value = value as? String {
        headers[name.lowercased()] = value
      }
    }
    self.init(status: response.statusCode, headers: headers, body: body)
  }
}
