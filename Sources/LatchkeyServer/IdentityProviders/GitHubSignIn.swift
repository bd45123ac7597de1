import Foundation
import LatchkeyCore

extension AuthorizationServer {
  /// GitHub's `User-Agent`, which its API requires (GitHub REST "Getting started": requests
  /// without one are refused).
  static let gitHubUserAgent = "Latchkey"

  /// The code half of a `github` sign-in: the code exchanged at `<base>/login/oauth/
  /// access_token` (GitHub REST "Authorizing OAuth apps" step 2, plus RFC 6749 §4.1.3's
  /// `grant_type=authorization_code`, which GitHub ignores: `client_id`,
  /// `client_secret`, `code`, `redirect_uri` and our PKCE verifier in the form, `Accept:
  /// application/json`), then who signed in from the API with that token: `GET /user` (the
  /// numeric `id` is the subject, never the renameable `login`), the verified primary email
  /// from `GET /user/emails` when a rule or a new user's name needs it, and the active
  /// memberships the organization and team rules and the scope mappings name (the user's
  /// groups for `scope_mappings`). Returns the token answer too, for
  /// the token vault.
  func gitHubIdentity(
    code: String, _ provider: IdentityProviders.Provider, _ cookie: UpstreamLoginCookie,
    at now: Date
  ) async -> Result<UpstreamSignInResult, UpstreamIdentityFailure> {
    let configuration = provider.configuration
    let endpoints = GitHubEndpoints(baseURL: configuration.baseURL)
    guard
      case .success(let answer) = await postUpstreamTokenRequest(
        provider, tokenEndpoint: endpoints.accessToken,
        grant: [
          ("grant_type", "authorization_code"), ("code", code),
          ("redirect_uri", upstreamRedirectURI(configuration.id)),
          ("code_verifier", cookie.verifier),
        ], at: now)
    else { return .failure(.unreachable) }
    let tokens: UpstreamTokenResponse
    switch GitHubAnswers.token(status: answer.status, body: answer.body) {
    case .success(let answered): tokens = answered
    case .failure(let failure): return .failure(.gitHub(failure))
    }
    let api = GitHubAPI(
      root: endpoints.api, accessToken: tokens.accessToken, fetcher: identityProviders.fetcher)
    do {
      let identity = try await gitHubUser(api, configuration)
      return .success(UpstreamSignInResult(identity: identity, tokens: tokens))
    } catch {
      return .failure(.gitHub(error))
    }
  }

  /// The identity from the API: `/user`, then the email and memberships only when needed.
  private func gitHubUser(_ api: GitHubAPI, _ configuration: IdentityProviderConfiguration)
    async throws(GitHubFailure) -> UpstreamIdentity
  {
    let user = try await api.user()
    var identity = UpstreamIdentity(
      subject: String(user.id), email: nil, emailVerified: false, username: user.login,
      groups: [])
    identity.login = user.login
    // Asked when an email rule needs it, or when a new user would be named after it.
    let wantsEmail =
      !configuration.allowedEmailDomains.isEmpty || !configuration.allowedEmails.isEmpty
      || configuration.createUsers
    if wantsEmail, let email = try await api.verifiedPrimaryEmail() {
      identity.email = email
      identity.emailVerified = true
    }
    let asked = GitHubAllowRule.membershipsToAsk(configuration)
    for organization in asked.organizations
    where try await api.isActiveMember(organization: organization) {
      identity.organizations.append(organization)
    }
    for team in asked.teams {
      guard let (organization, slug) = GitHubNames.team(team) else { continue }
      if try await api.isActiveMember(organization: organization, team: slug, login: user.login) {
        identity.teams.append(team)
      }
    }
    return identity
  }
}

/// GitHub REST API requests with the user's token (GitHub REST "Getting started":
/// `Authorization: Bearer`, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version:
/// 2022-11-28`, a `User-Agent`). The token is only ever in the header.
struct GitHubAPI: Sendable {
  static let version = "2022-11-28"

  var root: String
  var accessToken: String
  var fetcher: any HTTPFetcher

  /// `GET /user`.
  func user() async throws(GitHubFailure) -> GitHubAnswers.User {
    let path = "/user"
    let response = try await get(path)
    guard response.status == 200 else { throw .api(path: path, status: response.status) }
    guard let user = GitHubAnswers.user(response.body) else { throw .unreadable(path: path) }
    return user
  }

  /// `GET /user/emails`: the verified primary email. Without the `user:email` scope (or the
  /// "Email addresses" permission of a GitHub App) GitHub answers 403 or 404: then there is no
  /// email, and an email rule refuses the sign-in by its own reason.
  func verifiedPrimaryEmail() async throws(GitHubFailure) -> String? {
    let path = "/user/emails"
    let response = try await get(path)
    if response.status == 403 || response.status == 404 { return nil }
    guard response.status == 200 else { throw .api(path: path, status: response.status) }
    guard let emails = GitHubAnswers.emails(response.body) else { throw .unreadable(path: path) }
    return GitHubAnswers.verifiedPrimaryEmail(emails)
  }

  /// `GET /user/memberships/orgs/{org}`: 404 is "not a member"; 403 (the organization blocks
  /// the app) and others are failures, so a refusal is never a guess.
  func isActiveMember(organization: String) async throws(GitHubFailure) -> Bool {
    try await membership("/user/memberships/orgs/\(Self.segment(organization))")
  }

  /// `GET /orgs/{org}/teams/{team_slug}/memberships/{username}`: 404 is "not a member".
  func isActiveMember(organization: String, team: String, login: String)
    async throws(GitHubFailure) -> Bool
  {
    try await membership(
      "/orgs/\(Self.segment(organization))/teams/\(Self.segment(team))/memberships/"
        + Self.segment(login))
  }

  private func membership(_ path: String) async throws(GitHubFailure) -> Bool {
    let response = try await get(path)
    if response.status == 404 { return false }
    guard response.status == 200 else { throw .api(path: path, status: response.status) }
    guard let active = GitHubAnswers.isActiveMembership(response.body) else {
      throw .unreadable(path: path)
    }
    return active
  }

  private func get(_ path: String) async throws(GitHubFailure) -> HTTPFetchResponse {
    guard let url = URL(string: root + path),
      let response = try? await fetcher.get(
        url,
        headers: [
          "authorization": "Bearer " + accessToken, "accept": "application/vnd.github+json",
          "x-github-api-version": Self.version, "user-agent": AuthorizationServer.gitHubUserAgent,
        ], maxBytes: AuthorizationServer.upstreamMaximumBytes, timeout: 10)
    else { throw .apiUnreachable(path: path) }
    return response
  }

  /// One path segment, percent-encoded (RFC 3986 §3.3).
  static func segment(_ value: String) -> String {
    AuthorizationResponse.percentEncode(value)
  }
}
