public import Foundation
import LatchkeyCore

/// The RFC 7662 §2.2 introspection response, and the checks a resource server applies to it.
public struct IntrospectionAnswer: Sendable, Equatable, Decodable {
  public var active: Bool
  public var scope: String?
  public var clientID: String?
  public var sub: String?
  /// A string or an array of strings (RFC 7662 §2.2 follows RFC 7519 §4.1.3).
  public var aud: [String]?
  public var iss: String?
  public var exp: Int64?
  public var nbf: Int64?
  public var jti: String?
  public var tokenType: String?
  /// `api_key_name` (a Latchkey extension member, RFC 7662 §2.2): the name of an API key.
  public var apiKeyName: String?

  /// The `token_type` of an API key.
  public static let apiKeyTokenType = "api_key"

  enum CodingKeys: String, CodingKey {
    case active, scope, sub, aud, iss, exp, nbf, jti
    case clientID = "client_id"
    case tokenType = "token_type"
    case apiKeyName = "api_key_name"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    active = try c.decode(Bool.self, forKey: .active)
    scope = try c.decodeIfPresent(String.self, forKey: .scope)
    clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
    sub = try c.decodeIfPresent(String.self, forKey: .sub)
    if let one = try? c.decodeIfPresent(String.self, forKey: .aud) {
      aud = [one]
    } else {
      aud = try c.decodeIfPresent([String].self, forKey: .aud)
    }
    iss = try c.decodeIfPresent(String.self, forKey: .iss)
    exp = try c.decodeIfPresent(Int64.self, forKey: .exp)
    nbf = try c.decodeIfPresent(Int64.self, forKey: .nbf)
    jti = try c.decodeIfPresent(String.self, forKey: .jti)
    tokenType = try c.decodeIfPresent(String.self, forKey: .tokenType)
    apiKeyName = try c.decodeIfPresent(String.self, forKey: .apiKeyName)
  }

  /// RFC 7662 §4 (the RS decides what an active answer means for it): `active` must be true;
  /// `token_type`, when given, must not name a refresh token; `iss`, when given, must equal the
  /// issuer; `aud` must contain this resource (RFC 8707, MCP "Token Handling"); `exp` and `nbf`,
  /// when given, must hold with `leeway`; `sub` must be present. Without `exp` the identity
  /// lives until `fallbackExpiry`. A `token_type` of `api_key` with a `jti` makes the identity
  /// name the key (`VerifiedIdentity.apiKey`).
  public func identity(
    issuer: String, resource: String, now: Date, leeway: Int64, fallbackExpiry: Date
  ) -> Result<VerifiedIdentity, TokenRejection> {
    guard active else { return .failure(.invalid("inactive")) }
    if let tokenType, tokenType.lowercased().contains("refresh") {
      return .failure(.invalid("not an access token"))
    }
    if let iss, iss != issuer { return .failure(.wrongIssuer) }
    guard let aud, aud.contains(resource) else { return .failure(.wrongAudience) }
    let seconds = Int64(now.timeIntervalSince1970)
    if let exp, exp + leeway <= seconds { return .failure(.expired) }
    if let nbf, nbf - leeway > seconds { return .failure(.invalid("not yet valid")) }
    guard let sub, !sub.isEmpty else { return .failure(.invalid("missing sub")) }
    guard let scopes = ScopeSet(parameter: scope ?? "") else {
      return .failure(.invalid("malformed scope"))
    }
    return .success(
      VerifiedIdentity(
        subject: sub, clientID: clientID, scopes: scopes, audience: aud, tokenID: jti,
        issuer: iss ?? issuer,
        expiresAt: exp.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? fallbackExpiry,
        apiKey: tokenType == Self.apiKeyTokenType
          ? jti.map { APIKeyReference(id: $0, name: apiKeyName ?? "") } : nil))
  }
}
