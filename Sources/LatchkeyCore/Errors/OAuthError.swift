/// An OAuth error as it travels to a client: a registry code and a public description.
///
/// `detail` is for logs only and must never contain a token, code, secret or password; it is
/// not part of `description` so it cannot leak through string interpolation into a response.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
  public var code: OAuthErrorCode
  public var publicDescription: String
  public var detail: String?

  public init(_ code: OAuthErrorCode, _ publicDescription: String, detail: String? = nil) {
    self.code = code
    self.publicDescription = publicDescription
    self.detail = detail
  }

  public var description: String { "\(code.rawValue): \(publicDescription)" }

  /// The JSON body of RFC 6749 §5.2 / OAuth 2.1 §3.2.4.
  public var body: OAuthErrorBody {
    OAuthErrorBody(error: code.rawValue, errorDescription: publicDescription)
  }
}

/// `{"error": …, "error_description": …}`.
public struct OAuthErrorBody: Codable, Sendable, Equatable {
  public var error: String
  public var errorDescription: String?

  public init(error: String, errorDescription: String?) {
    self.error = error
    self.errorDescription = errorDescription
  }

  enum CodingKeys: String, CodingKey {
    case error
    case errorDescription = "error_description"
  }
}
