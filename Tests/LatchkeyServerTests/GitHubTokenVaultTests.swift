import Foundation
import HTTPTypes
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// The GitHub token for the MCP server (issue 23 §4 with `kind: "github"`): a GitHub App's
/// expiring user token, answered by `GitHubContractServer`, is kept by the token vault, reaches
/// a listed reader, and is refreshed at GitHub's access-token URL as GitHub documents.
@Suite("token vault: a GitHub user token (recorded contract)", .serialized)
struct GitHubTokenVaultTests {
  /// Latchkey with the contract server as provider `gh` keeping tokens, one vault key and the
  /// reader of `TokenVaultTests`.
  static func server(baseURL: String) async throws -> TestAuthorizationServer {
    var server = try await GitHubSignInTests.server(baseURL: baseURL) {
      $0.keepUpstreamTokens = true
    }
    server.configuration.tokenVault = TokenVaultConfiguration(
      keys: [.init(id: "k1", keyFile: try TokenVaultTests.keyFile())],
      readers: [
        .init(clientID: TokenVaultTests.readerID, resource: TestAuthorizationServer.resourceURL)
      ])
    // Latchkey's own access token outlives the eight-hour GitHub token here, so one token
    // can ask before and after GitHub's expires.
    server.configuration.tokens.accessToken = 86_400
    LeakScan.record([TokenVaultTests.readerSecret])
    try await server.store.insertClient(
      Client(
        id: TokenVaultTests.readerID, name: "Notes server", origin: .preregistered,
        redirectURIs: ["https://notes.example.com/unused"], grantTypes: [.clientCredentials],
        tokenEndpointAuthMethod: .clientSecretPost, applicationType: .web,
        secretHash: SecretHash.of(TokenVaultTests.readerSecret), createdAt: server.clock.now()))
    return server
  }

  @Test func theGitHubUserTokenReachesTheReaderAndIsRefreshedAtGitHub() async throws {
    let github = GitHubContractServer()
    github.expiringUserTokens = true
    try await github.run { base in
      let server = try await Self.server(baseURL: base)
      try await server.run(fetcher: GitHubSignInTests.fetcher) { browser in
        let parameters = AuthorizeParameters()
        let consent = try await GitHubSignInTests.callback(github, browser, parameters)
        #expect(consent.status == .ok)
        let redirect = try AuthorizationRedirect(
          try await browser.submit(consent, adding: [("decision", "approve")]))
        let tokens = try Wire.json(
          try await browser.redeem(code: try #require(redirect.query["code"]), parameters))
        let accessToken = try #require(tokens["access_token"] as? String)
        let first = try Wire.json(try await TokenVaultTests.read(browser, token: accessToken))
        let issued = github.issuedAccessTokens.withLock { $0 }
        #expect(first["active"] as? Bool == true && first["provider"] as? String == "gh")
        #expect(first["access_token"] as? String == issued.first && issued.count == 1)
        #expect(first["expires_in"] as? Int == 28_800)
        // Eight hours later the user token has expired: refreshed at GitHub's access-token
        // URL with the app's id and secret (GitHub "Refreshing user access tokens").
        server.clock.advance(by: 28_800)
        let refreshed = try Wire.json(try await TokenVaultTests.read(browser, token: accessToken))
        let reissued = github.issuedAccessTokens.withLock { $0 }
        #expect(reissued.count == 2 && refreshed["access_token"] as? String == reissued[1])
        let refresh = try #require(
          github.tokenRequests.withLock { $0.first { $0["grant_type"] == "refresh_token" } })
        #expect(refresh["client_id"] == GitHubContractServer.clientID)
        #expect(refresh["client_secret"] == GitHubContractServer.clientSecret)
        #expect(refresh["refresh_token"]?.hasPrefix("ghr_") == true)
        // The user revoked the app: GitHub answers 200 with bad_refresh_token; the reader is
        // told only that the refresh failed.
        github.forgetRefreshTokens()
        server.clock.advance(by: 28_800)
        let refused = try Wire.json(try await TokenVaultTests.read(browser, token: accessToken))
        #expect(refused["active"] as? Bool == false && refused["access_token"] == nil)
        #expect(refused["reason"] as? String == "upstream_refresh_failed")
      }
      #expect(try await server.auditEvents(type: "upstream_token.refreshed").count == 1)
    }
  }
}
