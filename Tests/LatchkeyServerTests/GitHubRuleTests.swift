import Foundation
import Testing

@testable import LatchkeyServer

/// The pure parts of the `github` provider: its endpoints, the shapes of GitHub's answers
/// (recorded from GitHub's REST documentation, API version 2022-11-28) and its allow rules.
@Suite("identity providers: GitHub answers and rules")
struct GitHubRuleTests {
  @Test func endpointsOfGitHubDotComAndOfAnEnterpriseServer() {
    let dotCom = GitHubEndpoints(baseURL: nil)
    #expect(dotCom.authorize == "https://github.com/login/oauth/authorize")
    #expect(dotCom.accessToken == "https://github.com/login/oauth/access_token")
    #expect(dotCom.api == "https://api.github.com")
    let enterprise = GitHubEndpoints(baseURL: "https://ghe.corp.example/")
    #expect(enterprise.authorize == "https://ghe.corp.example/login/oauth/authorize")
    #expect(enterprise.api == "https://ghe.corp.example/api/v3")
  }

  @Test func theTokenAnswerKeepsEveryTokenForTheVault() throws {
    let body = #"""
      {"access_token": "ghu_16C7e42F292c6912E7710c838347Ae178B4a", "expires_in": 28800,
       "refresh_token": "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498",
       "refresh_token_expires_in": 15811200, "scope": "", "token_type": "bearer"}
      """#
    let tokens = try GitHubAnswers.token(status: 200, body: Array(body.utf8)).get()
    #expect(tokens.accessToken == "ghu_16C7e42F292c6912E7710c838347Ae178B4a")
    #expect(tokens.refreshToken?.hasPrefix("ghr_") == true && tokens.expiresIn == 28_800)
    #expect(tokens.scope == "" && tokens.tokenType == "bearer")
  }

  @Test(arguments: [
    (
      200,
      #"{"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired."}"#,
      "bad_verification_code"
    ),
    (200, #"{"error": "incorrect_client_credentials"}"#, "incorrect_client_credentials"),
    (400, #"{"error": "redirect_uri_mismatch"}"#, "redirect_uri_mismatch"),
    (502, "<html>bad gateway</html>", "HTTP 502"),
  ])
  func aRefusedTokenRequestIsRefusedWhateverTheStatus(status: Int, body: String, reason: String) {
    #expect(
      GitHubAnswers.token(status: status, body: Array(body.utf8))
        == .failure(.tokenRequestRefused(reason)))
  }

  @Test func aTokenAnswerWithoutAnAccessTokenIsRefused() {
    #expect(
      GitHubAnswers.token(status: 200, body: Array(#"{"token_type": "bearer"}"#.utf8))
        == .failure(.noAccessToken))
  }

  @Test func theUserIsItsNumericIDAndLogin() {
    let user = GitHubAnswers.user(Array(#"{"login": "octocat", "id": 1, "email": null}"#.utf8))
    #expect(user == GitHubAnswers.User(id: 1, login: "octocat"))
    for bad in [
      #"{"login": "octocat", "id": "1"}"#, #"{"login": "octocat", "id": 1.5}"#,
      #"{"login": "octocat", "id": 0}"#, #"{"login": "octo cat", "id": 1}"#,
      #"{"login": "..", "id": 1}"#, #"{"id": 1}"#, "[]",
    ] {
      #expect(GitHubAnswers.user(Array(bad.utf8)) == nil, "\(bad)")
    }
    // Enterprise Managed Users have an underscore and a shortcode.
    let managed = GitHubAnswers.user(Array(#"{"login": "octocat_acme", "id": 7}"#.utf8))
    #expect(managed?.login == "octocat_acme")
  }

  @Test func onlyAVerifiedPrimaryEmailCounts() throws {
    let body = #"""
      [{"email": "octocat@github.com", "verified": false, "primary": true, "visibility": "public"},
       {"email": "octo@example.com", "verified": true, "primary": false, "visibility": null}]
      """#
    let emails = try #require(GitHubAnswers.emails(Array(body.utf8)))
    #expect(GitHubAnswers.verifiedPrimaryEmail(emails) == nil)
    let verified = emails.map {
      GitHubAnswers.Email(email: $0.email, primary: $0.primary, verified: true)
    }
    #expect(GitHubAnswers.verifiedPrimaryEmail(verified) == "octocat@github.com")
    #expect(GitHubAnswers.emails(Array(#"{"message": "Not Found"}"#.utf8)) == nil)
  }

  @Test func aMembershipCountsOnlyWhenActive() {
    #expect(
      GitHubAnswers.isActiveMembership(Array(#"{"state": "active", "role": "member"}"#.utf8))
        == true)
    #expect(
      GitHubAnswers.isActiveMembership(Array(#"{"state": "pending", "role": "admin"}"#.utf8))
        == false)
    #expect(GitHubAnswers.isActiveMembership(Array(#"{"role": "member"}"#.utf8)) == nil)
  }

  static func identity(
    organizations: [String] = [], teams: [String] = [], login: String? = "octocat"
  )
    -> UpstreamIdentity
  {
    var identity = UpstreamIdentity(
      subject: "583231", email: nil, emailVerified: false, username: login, groups: [])
    identity.login = login
    identity.organizations = organizations
    identity.teams = teams
    return identity
  }

  @Test func organizationAndTeamRulesEachNeedAnActiveMembership() {
    var provider = IdentityProviderConfiguration.gitHub(
      id: "gh", clientID: "c", clientSecretEnv: "S")
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == nil)
    provider.allowedOrganizations = ["Acme"]
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == .organizationMissing)
    #expect(UpstreamAllowRule.check(Self.identity(organizations: ["acme"]), provider) == nil)
    provider.allowedTeams = ["acme/mcp-users"]
    #expect(
      UpstreamAllowRule.check(Self.identity(organizations: ["acme"]), provider) == .teamMissing)
    #expect(
      UpstreamAllowRule.check(
        Self.identity(organizations: ["acme"], teams: ["acme/mcp-users"]), provider) == nil)
  }

  @Test func anAllowedEmailsEntryWithoutAtNamesALogin() {
    var provider = IdentityProviderConfiguration.gitHub(
      id: "gh", clientID: "c", clientSecretEnv: "S")
    provider.allowedEmails = ["OctoCat"]
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == nil)
    #expect(UpstreamAllowRule.check(Self.identity(login: "hubot"), provider) == .emailNotVerified)
    // An OpenID provider's preferred_username is not a login: only emails count there.
    #expect(UpstreamAllowRule.check(Self.identity(login: nil), provider) == .emailNotVerified)
    provider.allowedEmails = ["octocat@github.example"]
    var withEmail = Self.identity(login: "octocat@github.example")
    #expect(UpstreamAllowRule.check(withEmail, provider) == .emailNotVerified)
    withEmail.email = "octocat@github.example"
    withEmail.emailVerified = true
    #expect(UpstreamAllowRule.check(withEmail, provider) == nil)
  }

  @Test func membershipsAskedAreTheRulesAndTheGitHubNamedScopeMappings() {
    var provider = IdentityProviderConfiguration.gitHub(
      id: "gh", clientID: "c", clientSecretEnv: "S")
    #expect(GitHubAllowRule.membershipsToAsk(provider) == ([], []))
    provider.allowedOrganizations = ["acme"]
    provider.allowedTeams = ["acme/mcp-users"]
    provider.scopeMappings = [
      "ACME": ["notes:read"], "acme/mcp-writers": ["notes:write"], "Acme/MCP-users": ["x"],
      "not a github name": ["y"], "other-org": ["z"],
    ]
    let asked = GitHubAllowRule.membershipsToAsk(provider)
    #expect(asked.organizations == ["acme", "other-org"])
    #expect(asked.teams == ["acme/mcp-users", "acme/mcp-writers"])
  }

  @Test func teamNamesAreOrganizationSlashSlug() {
    #expect(GitHubNames.team("acme/mcp-users")! == ("acme", "mcp-users"))
    for bad in ["acme", "acme/", "/team", "acme/team/x", "-acme/team", "acme/..", "acme/a b"] {
      #expect(GitHubNames.team(bad) == nil, "\(bad)")
    }
    #expect(
      GitHubNames.isOrganization("a-1")
        && !GitHubNames.isOrganization(String(repeating: "a", count: 40)))
  }
}
