public import Foundation

/// A fetched HTTP response, body already bounded by the fetcher.
public struct HTTPFetchResponse: Sendable, Equatable {
  /// The HTTP status code.
  public var status: Int
  /// Header names lower-cased.
  public var headers: [String: String]
  /// The body, at most the `maxBytes` the caller allowed.
  public var body: [UInt8]

  /// Creates a response (fetchers and test stubs).
  public init(status: Int, headers: [String: String], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// Why a fetch failed before an HTTP status was seen.
public enum HTTPFetchError: Error, Sendable, Equatable {
  /// The host resolves to an address Latchkey must not contact (SSRF guard).
  case forbiddenAddress
  case tooLarge
  case timedOut
  case redirected
  case unreachable
}

/// Outbound HTTP GET, the seam for client ID metadata documents and JWKS: a real implementation
/// in production, a stub in tests.
public protocol HTTPFetcher: Sendable {
  /// GETs `url` without following redirects, failing past `maxBytes` or `timeout`.
  func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse
}
