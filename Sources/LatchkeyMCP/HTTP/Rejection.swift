public import HTTPTypes

/// A response the middleware sends instead of calling the protected handler.
public struct Rejection: Error, Sendable, Equatable {
  /// The HTTP status: 400, 401, 403, 413, 429 or 503.
  public var status: HTTPResponse.Status
  /// `WWW-Authenticate`, `Retry-After`, `Content-Type`, `Cache-Control`.
  public var headerFields: HTTPFields
  /// A JSON-RPC 2.0 error object as JSON text.
  public var body: String
  /// Why, for logs (never a token).
  public var reason: String

  /// Creates a rejection; `ResourceServerAuthorizer` builds them.
  public init(
    status: HTTPResponse.Status, headerFields: HTTPFields, body: String, reason: String
  ) {
    self.status = status
    self.headerFields = headerFields
    self.body = body
    self.reason = reason
  }
}
