import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyServer
import LatchkeyTestSupport
import MCP
import Testing

@testable import LatchkeyCommands

/// `latchkey demo` with a provider that keeps its tokens: the demo lists its notes server's
/// client in `token_vault.readers`, and the notes server asks the demo's own `/upstream-token`.
/// The provider is never reached here (the demo user signs in with its password); the
/// end-to-end run with a real provider is scripts/e2e-idp.
@Suite("Demo: token vault")
struct DemoTokenVaultTests {
  @Test func aPasswordSignInGetsUpstreamWhoamisExplanationFromTheDemosOwnVault() async throws {
    let directory = DemoHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let secrets = directory + "-secrets"
    try FileManager.default.createDirectory(
      atPath: secrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(atPath: secrets) }
    let keyFile = secrets + "/vault.key"
    let secretFile = secrets + "/client-secret"
    for (path, text) in [(keyFile, String(repeating: "ab", count: 32)), (secretFile, "unused")] {
      #expect(
        FileManager.default.createFile(
          atPath: path, contents: Data((text + "\n").utf8),
          attributes: [.posixPermissions: 0o600]))
    }
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "http://127.0.0.1:9/idp", clientID: "latchkey",
      clientSecretFile: secretFile)
    provider.keepUpstreamTokens = true
    var base = ServerConfiguration(issuer: "http://127.0.0.1")
    base.identityProviders = [provider]
    base.tokenVault = TokenVaultConfiguration(keys: [.init(id: "demo", keyFile: keyFile)])
    var options = DemoHarness.options(directory: directory)
    options.baseConfiguration = base

    let runtime = try await DemoRuntime.start(options, logger: DemoHarness.quietLogger)
    do {
      let signedIn = try await Self.passwordSignIn(runtime)
      let client = try await DemoHarness.mcpClient(runtime, token: signedIn.accessToken)
      let tools = try await client.listTools().tools.map(\.name)
      #expect(tools.last == "upstream_whoami")
      let result = try await client.callTool(name: "upstream_whoami")
      #expect(result.isError == true)
      // no_upstream_token, not "unavailable": the demo's AS answered its notes server as a
      // listed reader (an unlisted one gets 400 unauthorized_client → unavailable).
      #expect(
        DemoHarness.text(result).hasPrefix("UpstreamTokenUnavailable (no_upstream_token"),
        "\(DemoHarness.text(result))")
      let asked = try await runtime.store.auditEvents(
        matching: AuditQuery(type: "upstream_token.unavailable"))
      #expect(asked.map(\.clientID) == [signedIn.clientID])
      let refused = try await runtime.store.auditEvents(
        matching: AuditQuery(type: "upstream_token.refused"))
      #expect(refused.isEmpty)
      await client.disconnect()
    } catch {
      try? await runtime.stop()
      throw error
    }
    try await runtime.stop()
  }

  /// The demo user's password sign-in on a login page that also has the provider's button
  /// (`OAuthTestClient.authorize` submits the page's first form, the button): the password
  /// form, then consent, then the code exchanged at the token endpoint.
  static func passwordSignIn(_ runtime: DemoRuntime) async throws -> (
    accessToken: String, clientID: String
  ) {
    let http = TestHTTPClient()
    let client = OAuthTestClient(http: http)
    let discovery = try await client.discover(mcpURL: runtime.mcpURL)
    let clientID = try await client.register(discovery)
    let verifier = SecureRandom.token()
    var response = try await http.get(
      discovery.authorizationEndpoint + "?"
        + FormEncoding.encode([
          ("response_type", "code"), ("client_id", clientID),
          ("redirect_uri", client.redirectURI), ("scope", "notes:read"), ("state", "s"),
          ("code_challenge", PKCE.s256Challenge(verifier: verifier)),
          ("code_challenge_method", "S256"), ("resource", runtime.mcpURL),
        ]))
    for _ in 0..<4 {
      if let location = response.header("Location") {
        let query = FormEncoding.decode(
          String(location.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""))
        let code = try #require(query["code"], "\(location)")
        let answer = try await http.postForm(
          discovery.tokenEndpoint,
          [
            ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", client.redirectURI), ("code_verifier", verifier),
            ("resource", runtime.mcpURL), ("client_id", clientID),
          ])
        let object = try JSONSerialization.jsonObject(with: Data(answer.text.utf8))
        let token = try #require((object as? [String: Any])?["access_token"] as? String)
        LeakScan.record([token])
        return (token, clientID)
      }
      let forms = response.text.components(separatedBy: "<form").dropFirst().map { "<form" + $0 }
      let page = forms.first { $0.contains("type=\"password\"") } ?? forms.first ?? ""
      let form = try #require(HTMLForm(html: page), "\(response.status)")
      let action = try #require(
        URL(string: form.action, relativeTo: URL(string: runtime.issuerURL)))
      response = try await http.postForm(
        action.absoluteString,
        form.hasPasswordField
          ? form.submission(
            replacing: ["username": nil, "password": nil],
            adding: [("username", DemoHarness.username), ("password", DemoHarness.password)])
          : form.submission(adding: [("decision", "approve")]))
    }
    throw OAuthTestError.tooManySteps
  }

  @Test func withoutAProviderThatKeepsTokensTheDemoAddsNoReaderAndNoTool() {
    var base = ServerConfiguration(issuer: "http://127.0.0.1")
    #expect(!DemoUpstream.isOn(base))
    base.identityProviders = [
      IdentityProviderConfiguration(id: "corp", issuer: "https://idp.test", clientID: "c")
    ]
    base.tokenVault = TokenVaultConfiguration(keys: [.init(id: "k", keyEnv: "K")])
    #expect(!DemoUpstream.isOn(base))
    base.identityProviders[0].keepUpstreamTokens = true
    #expect(DemoUpstream.isOn(base))
    let listed = DemoUpstream.listingNotesReader(base, resource: "http://127.0.0.1:1/mcp")
    #expect(
      listed.tokenVault.readers == [
        .init(clientID: "latchkey-demo-notes", resource: "http://127.0.0.1:1/mcp")
      ])
    #expect(
      DemoUpstream.listingNotesReader(listed, resource: "http://127.0.0.1:1/mcp").tokenVault
        .readers.count == 1)
  }

  @Test func profileAPIsFollowTheProvidersKind() {
    var oidc = IdentityProviderConfiguration(id: "corp", issuer: "https://idp.test", clientID: "c")
    oidc.keepUpstreamTokens = true
    var github = IdentityProviderConfiguration(id: "gh", issuer: "", clientID: "c")
    github.kind = .github
    github.keepUpstreamTokens = true
    var ghe = github
    ghe.id = "ghe"
    ghe.baseURL = "https://ghe.corp.example/"
    let other = IdentityProviderConfiguration(id: "plain", issuer: "https://x.test", clientID: "c")
    #expect(
      DemoUpstream.profiles([oidc, github, ghe, other]) == [
        "corp": .openID(issuer: "https://idp.test"), "gh": .gitHub(api: "https://api.github.com"),
        "ghe": .gitHub(api: "https://ghe.corp.example/api/v3"),
      ])
  }
}
