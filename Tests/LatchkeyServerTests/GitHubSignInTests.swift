import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyFetch
import LatchkeyJOSE
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// Sign-in through GitHub (`kind: "github"`, issue 23 §1–§2), end to end through Latchkey's
/// pages against `GitHubContractServer` on a real socket (a recorded contract of GitHub's
/// documented answers, reached as a GitHub Enterprise Server): login page button → GitHub's
/// authorize → callback → token exchange → `/user`, `/user/emails`, memberships → consent →
/// code → token; and each refusal a clear page and an audit event with nothing issued.
/// Serialized like the OpenID provider suite: live sockets and URLSession fetches.
@Suite("identity providers: sign-in through GitHub (recorded contract)", .serialized)
struct GitHubSignInTests {
  static let fetcher = URLSessionHTTPFetcher(allowPrivateAddresses: true)

  /// Latchkey with the contract server as the GitHub Enterprise Server of provider `gh`.
  static func server(
    baseURL: String, adjust: (inout IdentityProviderConfiguration) -> Void = { _ in }
  ) async throws -> TestAuthorizationServer {
    var server = try await TestAuthorizationServer()
    let secretFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-gh-\(SecureRandom.token(byteCount: 8))").path
    try (GitHubContractServer.clientSecret + "\n").write(
      toFile: secretFile, atomically: true, encoding: .utf8)
    LeakScan.record([GitHubContractServer.clientSecret])
    var provider = IdentityProviderConfiguration.gitHub(
      id: "gh", displayName: "GitHub", clientID: GitHubContractServer.clientID,
      clientSecretFile: secretFile, baseURL: baseURL)
    adjust(&provider)
    #expect(provider.problem == nil)
    server.configuration.identityProviders = [provider]
    return server
  }

  /// GET /authorize, press "Sign in with GitHub"; returns the redirect to GitHub.
  static func pressButton(
    _ browser: TestBrowser, _ parameters: AuthorizeParameters, adding query: String = ""
  ) async throws -> String {
    let page = try await browser.get(parameters.uri + query)
    #expect(String(buffer: page.body).contains("Sign in with GitHub"))
    let form = try TestBrowser.form(in: page)
    let response = try await browser.post(
      form.action,
      form: [
        ("interaction", form.value("interaction") ?? ""),
        ("csrf_token", form.value("csrf_token") ?? ""), ("provider", "gh"),
      ])
    #expect(response.status == .seeOther)
    return try #require(response.headers[.location])
  }

  /// The walk up to the callback's response (the consent page when all went well).
  static func callback(
    _ github: GitHubContractServer, _ browser: TestBrowser,
    _ parameters: AuthorizeParameters = AuthorizeParameters()
  ) async throws -> TestResponse {
    let location = try await pressButton(browser, parameters)
    let back = try #require(URLComponents(string: try await github.visit(location)))
    return try await browser.get(back.path + "?" + (back.percentEncodedQuery ?? ""))
  }

  static func query(_ location: String) -> [String: String] {
    Dictionary(
      (URLComponents(string: location)?.queryItems ?? []).map { ($0.name, $0.value ?? "") },
      uniquingKeysWith: { first, _ in first })
  }

  @Test func aFullWalkSignsInByTheNumericIDAndEndsWithACodeAndAToken() async throws {
    let github = GitHubContractServer()
    try await github.run { base in
      let server = try await Self.server(baseURL: base) {
        $0.allowedOrganizations = ["acme"]
        $0.scopes = ["read:user", "user:email", "read:org"]
      }
      try await server.run(fetcher: Self.fetcher) { browser in
        let parameters = AuthorizeParameters()
        let location = try await Self.pressButton(browser, parameters)
        #expect(location.hasPrefix(base + "/login/oauth/authorize?"))
        let query = Self.query(location)
        #expect(query["client_id"] == GitHubContractServer.clientID)
        #expect(query["response_type"] == "code")
        #expect(query["redirect_uri"] == "https://auth.example.com/callback/gh")
        #expect(query["scope"] == "read:user user:email read:org")
        #expect(query["state"]?.count == 43 && query["code_challenge_method"] == "S256")
        #expect(query["code_challenge"]?.count == 43 && query["nonce"] == nil)
        let back = try #require(URLComponents(string: try await github.visit(location)))
        let consent = try await browser.get(back.path + "?" + (back.percentEncodedQuery ?? ""))
        #expect(consent.status == .ok)
        #expect(String(buffer: consent.body).contains("octocat@github.example"))
        let redirect = try AuthorizationRedirect(
          try await browser.submit(consent, adding: [("decision", "approve")]))
        let code = try #require(redirect.query["code"])
        #expect(try await browser.redeem(code: code, parameters).status == .ok)
      }
      let exchange = try #require(github.tokenRequests.withLock { $0.first })
      #expect(exchange["accept"] == "application/json")
      #expect(exchange["client_id"] == GitHubContractServer.clientID)
      #expect(exchange["client_secret"] == GitHubContractServer.clientSecret)
      #expect(exchange["redirect_uri"] == "https://auth.example.com/callback/gh")
      #expect(exchange["code_verifier"]?.count == 43)
      let calls = github.apiRequests.withLock { $0 }
      #expect(
        calls.map { $0["path"] ?? "" } == [
          "/user", "/user/emails", "/user/memberships/orgs/acme",
        ])
      for call in calls {
        #expect(call["accept"] == "application/vnd.github+json")
        #expect(call["api_version"] == "2022-11-28" && call["user_agent"] == "Latchkey")
        #expect(call["bearer"] == "yes")
      }
      let user = try #require(try await server.store.users().first { $0.id.hasPrefix("idp_gh_") })
      #expect(user.username == "octocat@github.example" && user.passwordHash == "!upstream")
      let links = try await server.store.userIdentities(userID: user.id)
      #expect(links.map(\.provider) == ["gh"] && links.map(\.subject) == ["583231"])
      #expect(try await server.allGrants().count == 1)
      let events = try await server.auditEvents(type: "login.succeeded")
      #expect(events.map(\.detail) == ["provider gh: signed in as subject 583231"])
    }
  }

  @Test func aLoginHintThatIsALoginIsPassedOnAsGitHubsLogin() async throws {
    let github = GitHubContractServer()
    try await github.run { base in
      let server = try await Self.server(baseURL: base)
      try await server.run(fetcher: Self.fetcher) { browser in
        for (hint, sent) in [("octocat", "octocat"), ("octocat@github.example", nil)] {
          let location = try await Self.pressButton(
            browser, AuthorizeParameters(),
            adding: "&" + FormEncoding.encode([("login_hint", hint)]))
          #expect(Self.query(location)["login"] == sent, "\(hint)")
        }
      }
    }
  }

  @Test func aRenamedLoginSignsInAsTheSameUser() async throws {
    let github = GitHubContractServer()
    github.account.emails = []
    try await github.run { base in
      let server = try await Self.server(baseURL: base)
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .ok)
      }
      github.account.login = "octocat-renamed"
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .ok)
      }
      let users = try await server.store.users().filter { $0.id.hasPrefix("idp_") }
      #expect(users.count == 1)
      // Without an email the new user was named after the login it had then.
      #expect(users.map(\.username) == ["octocat"])
      #expect(try await server.auditEvents(type: "login.succeeded").count == 2)
    }
  }

  @Test func anUnverifiedPrimaryEmailIsNotUsed() async throws {
    let github = GitHubContractServer()
    github.account.emails = [
      ("octocat@corp.example", true, false), ("octo@corp.example", false, true),
    ]
    try await github.run { base in
      let ruled = try await Self.server(baseURL: base) {
        $0.allowedEmailDomains = ["corp.example"]
      }
      try await ruled.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .forbidden)
        #expect(String(buffer: response.body).contains("Not allowed"))
      }
      #expect(try await ruled.allGrants().isEmpty)
      let refused = try await ruled.auditEvents(type: "login.refused_by_provider_rule")
      #expect(refused.map(\.detail) == ["provider gh: no verified email"])
      // Without a rule the new user is named after the login, not the unverified email.
      let open = try await Self.server(baseURL: base)
      try await open.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .ok)
      }
      let users = try await open.store.users().filter { $0.id.hasPrefix("idp_") }
      #expect(users.map(\.username) == ["octocat"])
    }
  }

  @Test func anOrganizationMemberIsAllowedAndOthersAreRefused() async throws {
    let github = GitHubContractServer()
    try await github.run { base in
      for (memberships, allowed) in [
        (["acme": "active"], true), (["acme": "pending"], false), (["other": "active"], false),
        ([:], false),
      ] as [([String: String], Bool)] {
        github.account.organizations = memberships
        let server = try await Self.server(baseURL: base) {
          $0.allowedOrganizations = ["elsewhere", "ACME"]
          $0.scopes = ["read:user", "user:email", "read:org"]
        }
        try await server.run(fetcher: Self.fetcher) { browser in
          let response = try await Self.callback(github, browser)
          #expect(response.status == (allowed ? .ok : .forbidden), "\(memberships)")
          if !allowed { #expect(String(buffer: response.body).contains("Not allowed")) }
        }
        #expect(try await server.allGrants().isEmpty)
        let refused = try await server.auditEvents(type: "login.refused_by_provider_rule")
        #expect(refused.map(\.detail) == (allowed ? [] : ["provider gh: no allowed organization"]))
        #expect(try await server.auditEvents(type: "login.succeeded").count == (allowed ? 1 : 0))
      }
    }
  }

  @Test func aTeamRuleAsksForTheTeamMembershipOfTheLogin() async throws {
    let github = GitHubContractServer()
    try await github.run { base in
      for (teams, allowed) in [
        (["acme/mcp-users": "active"], true), (["acme/mcp-users": "pending"], false),
        (["acme/other": "active"], false),
      ] as [([String: String], Bool)] {
        github.account.teams = teams
        github.apiRequests.withLock { $0 = [] }
        let server = try await Self.server(baseURL: base) {
          $0.allowedTeams = ["acme/mcp-users"]
          $0.scopes = ["read:user", "user:email", "read:org"]
        }
        try await server.run(fetcher: Self.fetcher) { browser in
          let response = try await Self.callback(github, browser)
          #expect(response.status == (allowed ? .ok : .forbidden), "\(teams)")
        }
        let paths = github.apiRequests.withLock { $0.map { $0["path"] ?? "" } }
        #expect(paths.last == "/orgs/acme/teams/mcp-users/memberships/octocat")
        let refused = try await server.auditEvents(type: "login.refused_by_provider_rule")
        #expect(refused.map(\.detail) == (allowed ? [] : ["provider gh: no allowed team"]))
      }
    }
  }

  @Test func everyNamedMembershipBecomesAGroupForTheScopeMappings() async throws {
    let github = GitHubContractServer()
    github.account.organizations = ["acme": "active", "other": "active"]
    github.account.teams = ["acme/mcp-users": "active", "acme/mcp-writers": "active"]
    try await github.run { base in
      let server = try await Self.server(baseURL: base) {
        $0.allowedOrganizations = ["acme"]
        $0.allowedTeams = ["acme/mcp-users"]
        $0.scopeMappings = ["acme/mcp-writers": ["notes:write"], "acme/admins": ["notes:write"]]
        $0.scopes = ["read:user", "user:email", "read:org"]
      }
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .ok)
      }
      let paths = github.apiRequests.withLock { $0.map { $0["path"] ?? "" } }
      #expect(!paths.contains("/user/memberships/orgs/other"))
      #expect(paths.contains("/orgs/acme/teams/admins/memberships/octocat"))
      let user = try #require(try await server.store.users().first { $0.id.hasPrefix("idp_gh_") })
      let links = try await server.store.userIdentities(userID: user.id)
      #expect(links.map(\.groups) == [["acme", "acme/mcp-users", "acme/mcp-writers"]])
    }
  }

  @Test func aLoginInAllowedEmailsIsAllowed() async throws {
    let github = GitHubContractServer()
    github.account.emails = []
    try await github.run { base in
      for (entries, allowed) in [
        (["OctoCat"], true), (["hubot", "octocat@github.example"], false),
      ] {
        let server = try await Self.server(baseURL: base) { $0.allowedEmails = entries }
        try await server.run(fetcher: Self.fetcher) { browser in
          let response = try await Self.callback(github, browser)
          #expect(response.status == (allowed ? .ok : .forbidden), "\(entries)")
        }
      }
    }
  }

  @Test func aBadVerificationCodeIsARefusedTokenRequest() async throws {
    let github = GitHubContractServer()
    github.codesExpire = true
    try await github.run { base in
      let server = try await Self.server(baseURL: base)
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .badGateway)
        #expect(String(buffer: response.body).contains("Sign-in provider unavailable"))
      }
      #expect(github.apiRequests.withLock { $0.isEmpty })
      #expect(try await server.allGrants().isEmpty)
      #expect(try await server.store.users().allSatisfy { !$0.id.hasPrefix("idp_") })
      let refused = try await server.auditEvents(type: "login.upstream_refused")
      #expect(
        refused.map(\.detail) == ["provider gh: token request refused (bad_verification_code)"])
    }
  }

  @Test(arguments: [
    ("/user", 401, "Sign-in not accepted"), ("/user", 503, "Sign-in provider unavailable"),
    ("/user/emails", 401, "Sign-in not accepted"),
    ("/user/memberships/orgs/acme", 403, "Sign-in not accepted"),
  ])
  func aFailingAPIAnswerIsAPageAndNothingIsIssued(path: String, status: Int, title: String)
    async throws
  {
    let github = GitHubContractServer()
    github.apiStatus = [path: status]
    try await github.run { base in
      let server = try await Self.server(baseURL: base) {
        $0.allowedOrganizations = ["acme"]
        $0.scopes = ["read:user", "user:email", "read:org"]
      }
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(github, browser)
        #expect(response.status == .badGateway)
        #expect(String(buffer: response.body).contains(title))
      }
      #expect(try await server.allGrants().isEmpty)
      #expect(try await server.store.users().allSatisfy { !$0.id.hasPrefix("idp_") })
      let refused = try await server.auditEvents(type: "login.upstream_refused")
      #expect(refused.map(\.detail) == ["provider gh: GitHub API \(path) answered HTTP \(status)"])
    }
  }

  @Test func aUserWhoDeniesTheAppEndsTheInteractionWithAccessDenied() async throws {
    let github = GitHubContractServer()
    github.authorizationError = "access_denied"
    try await github.run { base in
      let server = try await Self.server(baseURL: base)
      try await server.run(fetcher: Self.fetcher) { browser in
        let parameters = AuthorizeParameters()
        let redirect = try AuthorizationRedirect(
          try await Self.callback(github, browser, parameters))
        #expect(redirect.target == TestAuthorizationServer.redirectURI)
        #expect(redirect.query["error"] == "access_denied" && redirect.query["code"] == nil)
        #expect(redirect.query["state"] == parameters.state)
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func noCodeTokenOrSecretReachesTheLogsPagesOrAudit() async throws {
    let github = GitHubContractServer()
    github.expiringUserTokens = true
    let capture = LogSecrecyTests.Capture()
    try await github.run { base in
      let server = try await Self.server(baseURL: base)
      var pages: [String] = []
      for failing in [false, true] {
        github.apiStatus = failing ? ["/user": 401] : [:]
        let page = try await server.run(.router, logger: capture.logger, fetcher: Self.fetcher) {
          browser in
          String(buffer: try await Self.callback(github, browser).body)
        }
        pages.append(page)
      }
      let issued = github.issued.withLock { $0 } + [GitHubContractServer.clientSecret]
      #expect(issued.count == 7)
      let events = try await server.store.auditEvents(matching: AuditQuery())
      #expect(!events.isEmpty && !capture.all.isEmpty)
      for secret in issued {
        for line in capture.all { #expect(!line.contains(secret), "leaked into: \(line)") }
        for page in pages { #expect(!page.contains(secret)) }
        for event in events { #expect(!(event.detail ?? "").contains(secret)) }
      }
    }
  }
}
