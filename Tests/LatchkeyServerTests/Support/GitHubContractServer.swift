import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Synchronization

/// A **recorded contract** of GitHub's OAuth and REST API, not GitHub: a loopback HTTP server
/// (`app.test(.live)`) that answers exactly the shapes GitHub documents, for the requests
/// Latchkey's `github` provider makes. Latchkey reaches it as a GitHub Enterprise Server
/// (`base_url` = this server; API under `/api/v3`). Recorded from GitHub's documentation
/// (REST API version 2022-11-28):
///
/// - "Authorizing OAuth apps" (docs.github.com/apps/oauth-apps/building-oauth-apps/
///   authorizing-oauth-apps): `GET /login/oauth/authorize` redirects back to `redirect_uri`
///   with `code` and `state` (or `error=access_denied`, `error_description`, `error_uri` and
///   `state`); `POST /login/oauth/access_token` takes `client_id`, `client_secret`, `code`,
///   `redirect_uri`, `code_verifier` and, with `Accept: application/json`, answers
///   `{"access_token", "scope" (comma-separated), "token_type": "bearer"}` (GitHub Apps with
///   expiring user tokens add `expires_in`, `refresh_token`, `refresh_token_expires_in`).
/// - "Refreshing user access tokens" (GitHub Apps): the same endpoint with
///   `grant_type=refresh_token`, `refresh_token`, `client_id`, `client_secret` answers a new
///   access token and a new refresh token (the old one is spent), or HTTP 200 with
///   `"error": "bad_refresh_token"`.
/// - "Troubleshooting OAuth app access token request errors": a refused exchange is HTTP 200
///   with `error` (`bad_verification_code`, `incorrect_client_credentials`,
///   `redirect_uri_mismatch`), `error_description` and `error_uri`.
/// - REST "Getting started": `Authorization: Bearer`, `Accept: application/vnd.github+json`,
///   `X-GitHub-Api-Version: 2022-11-28`; a request without `User-Agent` is refused (403); a
///   bad token is 401 `{"message": "Bad credentials", …}`.
/// - "Get the authenticated user" (`GET /user`), "List email addresses for the authenticated
///   user" (`GET /user/emails`), "Get an organization membership for the authenticated user"
///   (`GET /user/memberships/orgs/{org}`: 404 when not a member), "Get team membership for a
///   user" (`GET /orgs/{org}/teams/{team_slug}/memberships/{username}`: 404 when not a member).
///
/// What it cannot show is whether GitHub still answers so; the live service is not reachable
/// from the test machines.
final class GitHubContractServer: Sendable {
  static let clientID = "Iv1.8a61f9b3a7aba766"
  static let clientSecret = "1f2e3d4c5b6a7988-github-contract-secret"

  /// The signed-in GitHub account and its memberships.
  struct Account: Sendable {
    var id: Int64 = 583_231
    var login = "octocat"
    /// (email, primary, verified)
    var emails: [(String, Bool, Bool)] = [
      ("octocat@github.example", true, true), ("octo@personal.example", false, true),
    ]
    /// organization → `active` or `pending`
    var organizations: [String: String] = ["acme": "active"]
    /// `org/team-slug` → `active` or `pending`
    var teams: [String: String] = ["acme/mcp-users": "active"]
  }

  struct PendingCode: Sendable {
    var redirectURI: String
    var challenge: String?
    var scope: String
  }

  private let accountBox = Mutex(Account())
  private let codes = Mutex<[String: PendingCode]>([:])
  private let accessTokens = Mutex<[String: String]>([:])
  private let refreshTokens = Mutex<[String: String]>([:])
  /// Every access token handed out, in order.
  let issuedAccessTokens = Mutex<[String]>([])
  private let server = LoopbackTestServer()
  private let settings = Mutex(Settings())
  /// Every token request's form (and whether it came with `Accept: application/json`).
  let tokenRequests = Mutex<[[String: String]]>([])
  /// Every API request: its path and the headers GitHub asks for.
  let apiRequests = Mutex<[[String: String]]>([])
  /// Every code and token handed out, for the leak checks.
  let issued = Mutex<[String]>([])

  struct Settings: Sendable {
    /// Codes are not remembered: every exchange is `bad_verification_code`.
    var codesExpire = false
    /// The authorization endpoint answers this error instead of a code.
    var authorizationError: String?
    /// An API path answering this status instead (e.g. `/user` → 401, 503).
    var apiStatus: [String: Int] = [:]
    /// GitHub Apps with expiring user tokens: `expires_in` and `refresh_token` too.
    var expiringUserTokens = false
  }

  var account: Account {
    get { accountBox.withLock { $0 } }
    set { accountBox.withLock { $0 = newValue } }
  }
  var codesExpire: Bool {
    get { settings.withLock { $0.codesExpire } }
    set { settings.withLock { $0.codesExpire = newValue } }
  }
  var authorizationError: String? {
    get { settings.withLock { $0.authorizationError } }
    set { settings.withLock { $0.authorizationError = newValue } }
  }
  var apiStatus: [String: Int] {
    get { settings.withLock { $0.apiStatus } }
    set { settings.withLock { $0.apiStatus = newValue } }
  }
  var expiringUserTokens: Bool {
    get { settings.withLock { $0.expiringUserTokens } }
    set { settings.withLock { $0.expiringUserTokens = newValue } }
  }

  /// The GitHub Enterprise Server address Latchkey is configured with (`base_url`).
  var baseURL: String { server.base }

  /// Serves on 127.0.0.1 (ephemeral port) while `body` runs, with the `base_url`.
  func run<Value: Sendable>(_ body: @Sendable (String) async throws -> Value) async throws
    -> Value
  {
    try await server.run(router(), body)
  }

  /// The browser's visit to `/login/oauth/authorize` at `location` (the user approves the
  /// app): where GitHub sends it back, the `Location` of its 302.
  func visit(_ location: String) async throws -> String { try await server.visit(location) }

  private func router() -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/login/oauth/authorize") { request, _ in self.authorize(request) }
    router.post("/login/oauth/access_token") { request, _ in
      let buffer = try await request.body.collect(upTo: 64 * 1024)
      return self.accessToken(request, form: Self.form(String(buffer: buffer)))
    }
    router.get("/api/v3/user") { request, _ in
      self.api(request, "/user") { account, _ in
        Self.json(Self.user(account))
      }
    }
    router.get("/api/v3/user/emails") { request, _ in
      self.api(request, "/user/emails") { account, _ in
        Self.json(
          account.emails.map { email, primary, verified in
            ["email": email, "primary": primary, "verified": verified, "visibility": "private"]
          })
      }
    }
    router.get("/api/v3/user/memberships/orgs/:org") { request, context in
      let org = context.parameters.get("org") ?? ""
      return self.api(request, "/user/memberships/orgs/\(org)") { account, base in
        // Organization names are compared without case, as GitHub does.
        guard
          let state = account.organizations.first(where: { $0.key.lowercased() == org.lowercased() }
          )?
          .value
        else { return Self.notFound() }
        return Self.json([
          "url": "\(base)/api/v3/orgs/\(org)/memberships/\(account.login)", "state": state,
          "role": "member", "organization_url": "\(base)/api/v3/orgs/\(org)",
          "organization": ["login": org, "id": 1, "node_id": "MDEyOk9yZ2FuaXphdGlvbjE="],
          "user": ["login": account.login, "id": account.id, "type": "User"],
        ])
      }
    }
    router.get("/api/v3/orgs/:org/teams/:team_slug/memberships/:username") { request, context in
      let org = context.parameters.get("org") ?? ""
      let slug = context.parameters.get("team_slug") ?? ""
      let username = context.parameters.get("username") ?? ""
      return self.api(request, "/orgs/\(org)/teams/\(slug)/memberships/\(username)") {
        account, base in
        // The membership of `username`, which need not be the token's user.
        guard username.lowercased() == account.login.lowercased(),
          let state = account.teams["\(org)/\(slug)"]
        else { return Self.notFound() }
        return Self.json([
          "url": "\(base)/api/v3/teams/1/memberships/\(username)", "role": "member",
          "state": state,
        ])
      }
    }
    return router
  }

  private func authorize(_ request: Request) -> Response {
    let query = Self.form(request.uri.query ?? "")
    guard let redirectURI = query["redirect_uri"], let state = query["state"],
      query["client_id"] == Self.clientID
    else { return Response(status: .notFound) }
    if let error = settings.withLock({ $0.authorizationError }) {
      return Self.redirect(
        redirectURI,
        [
          ("error", error),
          ("error_description", "The user has denied your application access."),
          (
            "error_uri",
            "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied"
          ), ("state", state),
        ])
    }
    let code = SecureRandom.token(byteCount: 15)
    issued.withLock { $0.append(code) }
    LeakScan.record([code])
    if !settings.withLock({ $0.codesExpire }) {
      let pending = PendingCode(
        redirectURI: redirectURI,
        challenge: query["code_challenge_method"] == "S256" ? query["code_challenge"] : nil,
        scope: query["scope"] ?? "")
      codes.withLock { $0[code] = pending }
    }
    return Self.redirect(redirectURI, [("code", code), ("state", state)])
  }

  private func accessToken(_ request: Request, form: [String: String]) -> Response {
    var recorded = form
    recorded["accept"] = request.headers[.accept] ?? ""
    recorded["authorization_header"] = request.headers[.authorization] == nil ? "no" : "yes"
    tokenRequests.withLock { $0.append(recorded) }
    let troubleshooting =
      "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/"
    guard form["client_id"] == Self.clientID, form["client_secret"] == Self.clientSecret else {
      return Self.json([
        "error": "incorrect_client_credentials",
        "error_description": "The client_id and/or client_secret passed are incorrect.",
        "error_uri": troubleshooting + "#incorrect-client-credentials",
      ])
    }
    if form["grant_type"] == "refresh_token" {
      guard let refresh = form["refresh_token"],
        let scope = refreshTokens.withLock({ $0.removeValue(forKey: refresh) })
      else {
        return Self.json([
          "error": "bad_refresh_token",
          "error_description": "The refresh token passed is incorrect or expired.",
          "error_uri": troubleshooting + "#bad-refresh-token",
        ])
      }
      return Self.json(issueTokens(scope: scope))
    }
    guard let code = form["code"], let pending = codes.withLock({ $0.removeValue(forKey: code) }),
      pending.challenge.map({ PKCE.s256Challenge(verifier: form["code_verifier"] ?? "") == $0 })
        ?? true
    else {
      return Self.json([
        "error": "bad_verification_code",
        "error_description": "The code passed is incorrect or expired.",
        "error_uri": troubleshooting + "#bad-verification-code",
      ])
    }
    guard form["redirect_uri"] == nil || form["redirect_uri"] == pending.redirectURI else {
      return Self.json([
        "error": "redirect_uri_mismatch",
        "error_description":
          "The redirect_uri MUST match the registered callback URL for this application.",
        "error_uri": troubleshooting + "#redirect-uri-mismatch",
      ])
    }
    return Self.json(issueTokens(scope: pending.scope.split(separator: " ").joined(separator: ",")))
  }

  /// A token answer: `gho_` for OAuth apps; `ghu_` with `expires_in` and a `ghr_` refresh
  /// token for GitHub Apps with expiring user tokens.
  private func issueTokens(scope: String) -> [String: Any] {
    let expiring = settings.withLock { $0.expiringUserTokens }
    let token = (expiring ? "ghu_" : "gho_") + SecureRandom.token(byteCount: 27)
    accessTokens.withLock { $0[token] = scope }
    issuedAccessTokens.withLock { $0.append(token) }
    issued.withLock { $0.append(token) }
    LeakScan.record([token])
    var answer: [String: Any] = ["access_token": token, "scope": scope, "token_type": "bearer"]
    if expiring {
      let refresh = "ghr_" + SecureRandom.token(byteCount: 57)
      refreshTokens.withLock { $0[refresh] = scope }
      issued.withLock { $0.append(refresh) }
      LeakScan.record([refresh])
      answer["expires_in"] = 28_800
      answer["refresh_token"] = refresh
      answer["refresh_token_expires_in"] = 15_811_200
    }
    return answer
  }

  /// The user revoked the app: every refresh token is refused from now on.
  func forgetRefreshTokens() {
    refreshTokens.withLock { $0 = [:] }
  }

  /// The checks every REST request goes through, then `answer`.
  private func api(
    _ request: Request, _ path: String,
    answer: (Account, String) -> Response
  ) -> Response {
    let header = request.headers[.authorization] ?? ""
    apiRequests.withLock {
      $0.append([
        "path": path, "accept": request.headers[.accept] ?? "",
        "api_version": request.headers[HTTPField.Name("X-GitHub-Api-Version")!] ?? "",
        "user_agent": request.headers[.userAgent] ?? "",
        "bearer": header.hasPrefix("Bearer ") ? "yes" : "no",
      ])
    }
    guard request.headers[.userAgent] != nil else {
      return Self.json(
        [
          "message":
            "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required)."
        ], status: .forbidden)
    }
    if let version = request.headers[HTTPField.Name("X-GitHub-Api-Version")!],
      version != "2022-11-28"
    {
      return Self.json(
        ["message": "API version \(version) is not supported.", "status": "400"],
        status: .badRequest)
    }
    let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
    let known = accessTokens.withLock { $0[token] != nil }
    let forced = settings.withLock { $0.apiStatus[path] }
    if !known || forced == 401 {
      return Self.json(
        [
          "message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
          "status": "401",
        ], status: .unauthorized)
    }
    if let forced {
      return Self.json(
        ["message": "Server Error", "status": "\(forced)"], status: .init(code: forced))
    }
    return answer(account, baseURL)
  }

  /// "Get the authenticated user", the private-user shape (abridged to the documented members
  /// a client may read; `email` is the public one and may be null).
  static func user(_ account: Account) -> [String: Any] {
    [
      "login": account.login, "id": account.id, "node_id": "MDQ6VXNlcjE=",
      "avatar_url": "https://github.com/images/error/octocat_happy.gif", "gravatar_id": "",
      "type": "User", "site_admin": false, "name": "monalisa octocat", "company": "GitHub",
      "blog": "https://github.com/blog", "location": "San Francisco", "email": NSNull(),
      "hireable": false, "bio": "There once was...", "public_repos": 2, "followers": 20,
      "following": 0, "created_at": "2008-01-14T04:33:35Z",
      "updated_at": "2008-01-14T04:33:35Z", "two_factor_authentication": true,
    ]
  }

  static func notFound() -> Response {
    json(
      [
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest", "status": "404",
      ], status: .notFound)
  }

  static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
    let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    return Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }

  static func form(_ text: String) -> [String: String] {
    Dictionary(
      (URLComponents(string: "http://x/?" + text)?.queryItems ?? [])
        .map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
  }

  static func redirect(_ uri: String, _ parameters: [(String, String)]) -> Response {
    var components = URLComponents(string: uri)
    components?.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
    return Response(status: .found, headers: [.location: components?.string ?? uri])
  }
}
