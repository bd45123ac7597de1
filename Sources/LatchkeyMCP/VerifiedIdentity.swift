public import Foundation
public import LatchkeyCore

/// Who a request acts for, as proven by a verified access token (RFC 9068 §2.2).
///
/// Handlers read it from the request context (`MCPAuthRequestContext.identity`) or, inside
/// MCP swift-sdk tool handlers, through `LatchkeyMCPSwiftSDK`'s `VerifiedIdentity.current`.
public struct VerifiedIdentity: Sendable, Hashable, Codable {
  /// `sub`: the resource owner the token was issued for.
  public var subject: String
  /// `client_id`: the OAuth client that holds the token.
  public var clientID: String?
  /// `scope`: what the token allows.
  public var scopes: ScopeSet
  /// `aud`: every audience the token names (this resource among them).
  public var audience: [String]
  /// `jti`: the token's identifier, for audit correlation (never the token itself).
  public var tokenID: String?
  /// `iss`: the authorization server that issued the token.
  public var issuer: String?
  /// `exp`: when the token stops being accepted.
  public var expiresAt: Date
  /// The API key the request acts with, when the credential was one (introspection's
  /// `token_type` `api_key`); nil for OAuth access tokens.
  public var apiKey: APIKeyReference?
  /// How ``upstreamToken()`` reaches the token vault; set by the middleware when it has an
  /// ``UpstreamTokenSource``. Not encoded and not compared.
  public var upstream: UpstreamTokenAccessor?

  enum CodingKeys: String, CodingKey {
    case subject, clientID, scopes, audience, tokenID, issuer, expiresAt, apiKey
  }

  /// Equal when every claim is; how the upstream token is reached is not part of the value.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.subject == rhs.subject && lhs.clientID == rhs.clientID && lhs.scopes == rhs.scopes
      && lhs.audience == rhs.audience && lhs.tokenID == rhs.tokenID && lhs.issuer == rhs.issuer
      && lhs.expiresAt == rhs.expiresAt && lhs.apiKey == rhs.apiKey
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(subject)
    hasher.combine(clientID)
    hasher.combine(scopes)
    hasher.combine(audience)
    hasher.combine(tokenID)
    hasher.combine(issuer)
    hasher.combine(expiresAt)
    hasher.combine(apiKey)
  }

  /// Creates an identity from verified claims; verifiers call this, tests build one directly.
  public init(
    subject: String, clientID: String?, scopes: ScopeSet, audience: [String], tokenID: String?,
    issuer: String?, expiresAt: Date, apiKey: APIKeyReference? = nil
  ) {
    self.subject = subject
    self.clientID = clientID
    self.scopes = scopes
    self.audience = audience
    self.tokenID = tokenID
    self.issuer = issuer
    self.expiresAt = expiresAt
    self.apiKey = apiKey
  }
}
