import LatchkeyCore
import Testing

@Suite("Redirect URI rules (OAuth 2.1 §2.3.1, §4.1.1; RFC 8252 §7.3)")
struct RedirectURIRuleTests {
  static let registered = "https://app.example.com/callback"

  @Test(arguments: [
    ("https://app.example.com/callback", true),
    ("https://app.example.com/callbacK", false),  // one character
    ("https://app.example.com/callback/", false),  // trailing slash
    ("https://APP.example.com/callback", false),  // case
    ("https://app.example.com/callback?x=1", false),  // query
    ("https://app.example.com:443/callback", false),  // explicit default port
    ("https://app.example.com/callback#frag", false),
    ("https://evil.example.com/callback", false),
    ("http://app.example.com/callback", false),
  ])
  func exactMatchOnly(requested: String, accepted: Bool) {
    #expect(RedirectURIRule.matches(requested: requested, registered: Self.registered) == accepted)
  }

  @Test(arguments: [
    ("http://127.0.0.1:51234/callback", "http://127.0.0.1/callback", true),
    ("http://127.0.0.1:1/callback", "http://127.0.0.1:8080/callback", true),
    ("http://[::1]:9000/cb", "http://[::1]/cb", true),
    ("http://localhost:9000/cb", "http://localhost:3000/cb", true),
    ("http://localhost:9000/cb", "http://127.0.0.1:9000/cb", false),  // other host
    ("http://127.0.0.2:9000/cb", "http://127.0.0.1/cb", false),
    ("http://127.0.0.1:9000/cb/", "http://127.0.0.1/cb", false),  // path differs
    ("http://127.0.0.1:9000/cb?a=1", "http://127.0.0.1/cb", false),  // query differs
    ("https://127.0.0.1:9000/cb", "https://127.0.0.1/cb", false),  // only http loopback varies
    ("http://user@127.0.0.1:9000/cb", "http://127.0.0.1/cb", false),
    ("http://127.0.0.1.evil.com:9000/cb", "http://127.0.0.1/cb", false),
  ])
  func loopbackPortMayVary(requested: String, registered: String, accepted: Bool) {
    #expect(RedirectURIRule.matches(requested: requested, registered: registered) == accepted)
  }

  @Test func resolveNeedsTheParameterWhenSeveralAreRegistered() {
    let two = ["https://a.example/cb", "https://b.example/cb"]
    #expect(RedirectURIRule.resolve(requested: nil, registered: two) == nil)
    #expect(RedirectURIRule.resolve(requested: nil, registered: [two[0]]) == two[0])
    #expect(RedirectURIRule.resolve(requested: two[1], registered: two) == two[1])
    #expect(RedirectURIRule.resolve(requested: "https://c.example/cb", registered: two) == nil)
  }

  @Test(arguments: [
    ("https://app.example.com/cb", ApplicationType.web, nil),
    ("http://127.0.0.1/callback", .native, nil),
    ("http://127.0.0.1:3000/callback", .web, nil),
    ("http://[::1]/callback", .native, nil),
    ("http://localhost:8080/cb", .native, nil),
    ("com.example.app:/oauth2redirect", .native, nil),
    ("com.example.app:/oauth2redirect", .web, RedirectURIProblem.unsupportedScheme),
    // RFC 8252 §7.1 asks for reverse-domain schemes; deployed MCP clients do not use them.
    ("myapp:/cb", .native, nil),
    ("cursor://anysphere.cursor-mcp/oauth/callback", .native, nil),
    ("windsurf://codeium.windsurf/mcp-oauth-callback", .native, nil),
    ("cursor://anysphere.cursor-mcp/oauth/callback", .web, .unsupportedScheme),
    ("vbscript:msgbox(1)", .native, .unsupportedScheme),
    ("data:text/html,<b>x</b>", .native, .unsupportedScheme),
    ("about:blank", .native, .unsupportedScheme),
    ("blob:https://a.example/1", .native, .unsupportedScheme),
    ("filesystem:https://a.example/x", .native, .unsupportedScheme),
    ("ws://127.0.0.1/cb", .native, .unsupportedScheme),
    ("wss://a.example/cb", .native, .unsupportedScheme),
    ("httpx://a.example/cb", .native, .unsupportedScheme),  // reads like http
    ("https-secure://a.example/cb", .native, .unsupportedScheme),
    ("hxxps://a.example/cb", .native, .unsupportedScheme),
    ("JavaScript:alert(1)", .native, .unsupportedScheme),  // scheme case
    ("http://app.example.com/cb", .web, .insecureHTTP),
    ("http://192.168.1.10/cb", .native, .insecureHTTP),
    ("https://app.example.com/cb#x", .web, .hasFragment),
    ("https://*.example.com/cb", .web, .hasWildcard),
    ("javascript:alert(1)", .native, .unsupportedScheme),
    ("file:///etc/passwd", .native, .unsupportedScheme),
    ("/relative/cb", .web, .notAbsolute),
    ("https:///cb", .web, .notAbsolute),
    ("https://app.example.com/c b", .web, .containsWhitespace),
    // Found by the hostile-input corpus: userinfo was accepted at registration.
    ("https://user:pass@evil.example/cb", .web, .hasUserinfo),
    ("http://trusted.example@127.0.0.1/cb", .native, .hasUserinfo),
  ])
  func registrationRules(uri: String, type: ApplicationType, problem: RedirectURIProblem?) {
    #expect(RedirectURIRule.validateForRegistration(uri, applicationType: type) == problem)
  }

  /// What deployed clients register without `application_type` (docs/clients.md).
  @Test(arguments: [
    (
      [
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "https://www.cursor.com/agents/mcp/oauth/callback", "http://localhost:8787/callback",
      ], ApplicationType.native
    ),
    (["windsurf://codeium.windsurf/mcp-oauth-callback"], .native),
    (["http://127.0.0.1:33418/", "http://localhost/callback"], .native),
    (["https://claude.ai/api/mcp/auth_callback"], .web),
    (["https://vscode.dev/redirect", "http://127.0.0.1/"], .web),
  ])
  func applicationTypeIsInferredFromTheRedirectURIs(uris: [String], expected: ApplicationType) {
    #expect(ApplicationType.inferred(from: uris) == expected)
  }
}
