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

/// Outbound HTTP, the seam for client ID metadata documents, JWKS and token introspection: a
/// real implementation in production, a stub in tests.
public protocol HTTPFetcher: Sendable {
  /// GETs `url` without following redirects, failing past `maxBytes` or `timeout`.
  func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse

  /// GETs `url` with `headers` (e.g. a bearer token to an API), same bounds as `get`.
  /// Fetchers that only serve documents keep the default, which refuses.
  func get(_ url: URL, headers: [String: String], maxBytes: Int, timeout: TimeInterval)
    async throws -> HTTPFetchResponse

  /// POSTs `body` to `url` with `headers` (e.g. a form to an introspection endpoint), same
  /// bounds as `get`. Fetchers that only serve documents keep the default, which refuses.
  func post(
    _ url: URL, body: [UInt8], headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse
}

extension HTTPFetcher {
  public func get(
    _ url: URL, headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse {
    throw HTTPFetchError.unreachable
  }

  public func post(
    _ url: URL, body: [UInt8], headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse {
    throw HTTPFetchError.unreachable
  }
}
