import Foundation
import LatchkeyCore

/// The shapes of GitHub's answers Latchkey reads (GitHub REST API 2022-11-28), each parsed by a
/// pure function; anything else is unreadable.
enum GitHubAnswers {
  /// GitHub REST "Authorizing OAuth apps" step 2 with `Accept: application/json`:
  /// `access_token`, `token_type`, `scope` (comma-separated), and for expiring user tokens of
  /// GitHub Apps `refresh_token` and `expires_in`. GitHub answers a refused request with HTTP
  /// 200 and an `error` member ("Troubleshooting OAuth app access token request errors":
  /// `bad_verification_code`, `incorrect_client_credentials`, `redirect_uri_mismatch`, …):
  /// that is a refusal, whatever the status. The error code reaches the audit trail only
  /// through `UpstreamErrorRule.printable`.
  static func token(status: Int, body: [UInt8]) -> Result<UpstreamTokenResponse, GitHubFailure> {
    let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    if let error = object?["error"] as? String {
      return .failure(.tokenRequestRefused(UpstreamErrorRule.printable(error)))
    }
    guard status == 200 else { return .failure(.tokenRequestRefused("HTTP \(status)")) }
    guard let object, let tokens = UpstreamTokenResponse(json: object) else {
      return .failure(.noAccessToken)
    }
    return .success(tokens)
  }

  /// `GET /user` ("Get the authenticated user"): the numeric `id` — the subject, stable across
  /// renames — and the current `login`.
  struct User: Decodable, Equatable {
    var id: Int64
    var login: String
  }

  /// The user, when `id` is a positive integer and `login` a name GitHub can give: 1–100 of
  /// `A-Z a-z 0-9 - _ .` (github.com allows `A-Z a-z 0-9 -`; Enterprise Managed Users add
  /// `_<shortcode>`, and GitHub Enterprise Server may normalise directory names with `.`).
  static func user(_ body: [UInt8]) -> User? {
    guard let user = try? JSONDecoder().decode(User.self, from: Data(body)), user.id > 0,
      GitHubNames.isLogin(user.login)
    else { return nil }
    return user
  }

  /// One element of `GET /user/emails` ("List email addresses for the authenticated user").
  struct Email: Decodable, Equatable {
    var email: String
    var primary: Bool
    var verified: Bool
  }

  /// The addresses; nil when the answer is not the documented array.
  static func emails(_ body: [UInt8]) -> [Email]? {
    try? JSONDecoder().decode([Email].self, from: Data(body))
  }

  /// The primary email when GitHub verified it; nil when the primary one is not verified (an
  /// unverified address is not an identity, even when another verified one exists) or there
  /// is none.
  static func verifiedPrimaryEmail(_ emails: [Email]) -> String? {
    emails.first { $0.primary && $0.verified }?.email
  }

  /// `GET /user/memberships/orgs/{org}` ("Get an organization membership for the
  /// authenticated user") and `GET /orgs/{org}/teams/{team_slug}/memberships/{username}` ("Get
  /// team membership for a user"): a member only when `state` is `active` (`pending` is an
  /// invitation not yet accepted). Nil when unreadable.
  static func isActiveMembership(_ body: [UInt8]) -> Bool? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      let state = object["state"] as? String
    else { return nil }
    return state == "active"
  }
}
