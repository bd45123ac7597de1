import LatchkeyCore

/// Lifetimes in seconds.
public struct TokenLifetimes: Sendable, Codable, Equatable {
  public var accessToken = 3600
  public var authorizationCode = 60
  public var refreshToken = 30 * 86_400
  /// Absolute maximum of a refresh-token family, whatever rotation happens.
  public var refreshFamily = 90 * 86_400
  /// A retried refresh inside this window gets the same successor instead of a reuse alarm.
  public var refreshGraceWindow = 30
  /// Access tokens of the `client_credentials` grant (no refresh token: the client asks again).
  public var clientCredentialsAccessToken = 900

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case accessToken = "access_token"
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case refreshFamily = "refresh_family"
    case refreshGraceWindow = "refresh_grace_window"
    case clientCredentialsAccessToken = "client_credentials_access_token"
  }

  /// Every key `tokens` accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// Each lifetime the file leaves out keeps its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = TokenLifetimes()
    try c.decode(.accessToken, into: &value, at: \.accessToken)
    try c.decode(.authorizationCode, into: &value, at: \.authorizationCode)
    try c.decode(.refreshToken, into: &value, at: \.refreshToken)
    try c.decode(.refreshFamily, into: &value, at: \.refreshFamily)
    try c.decode(.refreshGraceWindow, into: &value, at: \.refreshGraceWindow)
    try c.decode(
      .clientCredentialsAccessToken, into: &value, at: \.clientCredentialsAccessToken)
    self = value
  }
}
