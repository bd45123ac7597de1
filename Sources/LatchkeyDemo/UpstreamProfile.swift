import Foundation
import LatchkeyMCP

/// Who the holder of an upstream token is, as the provider says: what `upstream_whoami`
/// answers (never the token).
struct UpstreamProfile: Sendable, Equatable, Encodable {
  var provider: String
  var sub: String
  var email: String?

  /// The user from a profile answer: OpenID Connect Core §5.3.2 (a JSON object with `sub`,
  /// optional `email`), or GitHub's `GET /user` (the numeric `id` as the subject, optional
  /// `email`). Nil for anything else.
  static func parse(_ body: [UInt8], api: UpstreamProfileAPI, provider: String)
    -> UpstreamProfile?
  {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    else { return nil }
    let email = object["email"] as? String
    switch api {
    case .openID:
      guard let sub = object["sub"] as? String, !sub.isEmpty else { return nil }
      return UpstreamProfile(provider: provider, sub: sub, email: email)
    case .gitHub:
      guard let id = object["id"] as? Int else { return nil }
      return UpstreamProfile(provider: provider, sub: String(id), email: email)
    }
  }

  /// The location of the provider's userinfo endpoint in its discovery document (OpenID
  /// Connect Discovery 1.0 §3 `userinfo_endpoint`), or nil.
  static func userinfoEndpoint(discovery body: [UInt8]) -> URL? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      let location = object["userinfo_endpoint"] as? String
    else { return nil }
    return URL(string: location)
  }

  /// What the tool says when no upstream token came back, naming the case.
  static func explanation(_ reason: UpstreamTokenUnavailable) -> String {
    let detail =
      switch reason {
      case .noUpstreamToken:
        "no_upstream_token: you did not sign in through an identity provider that keeps its "
          + "tokens (keep_upstream_tokens), or your grant has none. Sign in with the provider's "
          + "button."
      case .refreshFailed:
        "refresh_failed: the identity provider refused to refresh its token. Sign in again."
      case .unreadable:
        "unreadable: the token vault cannot open the stored token (its key is gone). Sign in "
          + "again."
      case .authorizationServerUnavailable:
        "unavailable: the authorization server could not be asked, or does not list this "
          + "server in token_vault.readers."
      case .inactiveToken:
        "inactive_token: your access token is no longer active."
      }
    return "UpstreamTokenUnavailable (\(detail))"
  }
}
