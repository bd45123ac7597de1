/// An OAuth error as it travels to a client: a registry code and a public description.
///
/// `detail` is for logs only and must never contain a token, code, secret or password; it is
/// not part of `description` so it cannot leak through string interpolation into a response.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The registered error code (`error`).
  public var code: OAuthErrorCode
  /// `error_description`: safe to show to the client.
  public var publicDescription: String
  /// For logs only; never sent to the client.
  public var detail: String?

  /// An error with `code`, a public description and an optional private detail.
  public init(_ code: OAuthErrorCode, _ publicDescription: String, detail: String? = nil) {
    self.code = code
    self.publicDescription = publicDescription
    self.detail = detail
  }

  /// `code: publicDescription`, without the private detail.
  public var description: String { "\(code.rawValue): \(publicDescription)" }

  /// The JSON body of RFC 6749 §5.2 / OAuth 2.1 §3.2.4.
  public var body: OAuthErrorBody {
    OAuthErrorBody(error: code.rawValue, errorDescription: publicDescription)
  }
}

/// `{"error": …, "error_description": …}`.
public struct OAuthErrorBody: Codable, Sendable, Equatable {
  /// `error`.
  public var error: String
  /// `error_description`.
  public var errorDescription: String?

  /// Creates a body.
  public init(error: String, errorDescription: String?) {
    self.error = error
    self.errorDescription = errorDescription
  }

  enum CodingKeys: String, CodingKey {
    case error
    case errorDescription = "error_description"
  }
}
