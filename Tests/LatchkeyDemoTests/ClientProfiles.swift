import LatchkeyTestSupport
import Testing

/// What one deployed MCP client sends, taken from its public source and issue trackers
/// (research notes: shared/client-profiles.md; per-client sections in docs/clients.md).
/// `ClientProfileTests` drives each through discovery → registration → authorize → login and
/// consent → token → refresh → `tools/call` against `latchkey demo` and through
/// `latchkey proxy`.
struct ClientProfile: Sendable, CustomStringConvertible {
  /// How the client authenticates at the token endpoint.
  enum Method: String, Sendable {
    case none
    case clientSecretPost = "client_secret_post"
    case clientSecretBasic = "client_secret_basic"
  }

  var name: String
  /// Where the profile's facts come from.
  var source: String
  /// The redirect URIs of its RFC 7591 registration request.
  var registeredRedirectURIs: [String]
  /// The redirect URI it sends at `/authorize` (a loopback port may differ from the one
  /// registered).
  var redirectURI: String
  var method: Method = .none
  /// `application_type` as sent, when sent.
  var applicationType: String?
  /// The `scope` it asks for; nil → the scope of the 401 challenge.
  var scope: String?
  var prompt: String?
  var sendsResource = true
  /// A browser-based client sends `Origin` on every request.
  var origin: String?

  var description: String { name }

  /// How the registered client authenticates at the token endpoint: a public client got no
  /// secret, a confidential one must have received one.
  func authentication(secret: String?) throws -> OAuthTestClient.Authentication {
    switch method {
    case .none:
      #expect(secret == nil)
      return .none
    case .clientSecretPost: return .post(secret: try #require(secret))
    case .clientSecretBasic: return .basic(secret: try #require(secret))
    }
  }

  /// The RFC 7591 registration body.
  var registration: String {
    let uris = registeredRedirectURIs.map { "\"\($0)\"" }.joined(separator: ",")
    var body = """
      {"client_name":"\(name)","redirect_uris":[\(uris)],\
      "token_endpoint_auth_method":"\(method.rawValue)",\
      "grant_types":["authorization_code","refresh_token"],"response_types":["code"]
      """
    if let applicationType { body += #","application_type":"\#(applicationType)""# }
    return body + "}"
  }

  static let all: [ClientProfile] = [
    ClientProfile(
      name: "Claude Code",
      source: "cc#37747 (port-less loopback registered, port sent), cc#10572 (resource missing)",
      registeredRedirectURIs: ["http://localhost/callback"],
      redirectURI: "http://localhost:54545/callback",
      scope: "notes:read notes:write offline_access", prompt: "consent", sendsResource: false),
    ClientProfile(
      name: "Claude", source: "claude.ai connector DCR fallback; cai#341, cai#234",
      registeredRedirectURIs: [
        "https://claude.ai/api/mcp/auth_callback", "https://claude.com/api/mcp/auth_callback",
      ],
      redirectURI: "https://claude.ai/api/mcp/auth_callback", method: .clientSecretPost,
      scope: "claudeai", prompt: "consent"),
    ClientProfile(
      name: "ChatGPT", source: "OpenAI Apps SDK authentication docs (DCR, client_secret_post)",
      registeredRedirectURIs: ["https://chatgpt.com/connector_platform_oauth_redirect"],
      redirectURI: "https://chatgpt.com/connector_platform_oauth_redirect",
      method: .clientSecretPost),
    ClientProfile(
      name: "Visual Studio Code", source: "microsoft/vscode src/vs/base/common/oauth.ts",
      registeredRedirectURIs: [
        "https://insiders.vscode.dev/redirect", "https://vscode.dev/redirect", "http://127.0.0.1/",
        "http://127.0.0.1:33418/",
      ],
      redirectURI: "http://127.0.0.1:33418/", applicationType: "native"),
    ClientProfile(
      name: "Cursor", source: "Cursor DCR request (three URIs in one), resource reported missing",
      registeredRedirectURIs: [
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "https://www.cursor.com/agents/mcp/oauth/callback", "http://localhost:8787/callback",
      ],
      redirectURI: "cursor://anysphere.cursor-mcp/oauth/callback", scope: "read write",
      sendsResource: false),
    ClientProfile(
      name: "Windsurf", source: "reported DCR with windsurf:// and OpenID scopes",
      registeredRedirectURIs: ["windsurf://codeium.windsurf/mcp-oauth-callback"],
      redirectURI: "windsurf://codeium.windsurf/mcp-oauth-callback",
      scope: "openid email profile"),
    ClientProfile(
      name: "MCP Inspector", source: "modelcontextprotocol/inspector (v1 DCR, direct mode)",
      registeredRedirectURIs: [
        "http://localhost:6274/oauth/callback", "http://localhost:6274/oauth/callback/debug",
      ],
      redirectURI: "http://localhost:6274/oauth/callback", origin: "http://localhost:6274"),
    ClientProfile(
      name: "Python SDK", source: "modelcontextprotocol/python-sdk src/mcp/client/auth/",
      registeredRedirectURIs: ["http://127.0.0.1:3030/callback"],
      redirectURI: "http://127.0.0.1:3030/callback", method: .clientSecretBasic,
      scope: "notes:read offline_access", prompt: "consent"),
  ]
}
