import Foundation
import LatchkeyCore
public import LatchkeyJOSE

/// One upstream identity provider users may sign in with instead of a local password
/// (`identity_providers[]`, docs/identity-providers.md). Latchkey stays the authorization
/// server for MCP clients; the provider only says who the user is.
///
/// The client secret never lives in the file: `client_secret_file` or `client_secret_env`
/// names where it is read from.
public struct IdentityProviderConfiguration: Sendable, Codable, Equatable {
  /// The protocol spoken to the provider.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// Any OpenID Connect provider found by discovery (OpenID Connect Discovery 1.0 §4).
    case oidc
    /// GitHub OAuth apps and GitHub Apps (not OpenID Connect; `GitHubEndpoints`).
    case github
  }

  /// How Latchkey authenticates to the provider's token endpoint (OpenID Connect Core §9).
  public enum ClientAuthentication: String, Sendable, Codable, CaseIterable {
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
    /// RFC 7523 §2.2 and OpenID Connect Core §9: a JWT signed with `private_key_file`.
    case privateKeyJWT = "private_key_jwt"
  }

  /// Short name used in URLs (`<issuer>/callback/<id>`) and in the user links.
  public var id: String
  public var kind: Kind
  /// The button's label on the login page.
  public var displayName: String
  /// The provider's issuer, compared exactly with its discovery document and id_tokens.
  public var issuer: String
  /// Latchkey's client id at the provider.
  public var clientID: String
  /// A file whose first line is the client secret.
  public var clientSecretFile: String?
  /// An environment variable holding the client secret.
  public var clientSecretEnv: String?
  public var tokenEndpointAuthMethod = ClientAuthentication.clientSecretBasic
  /// Scopes asked of the provider; `openid` is always among them.
  public var scopes = ["openid", "email", "profile"]
  /// When non-empty, only users whose verified email is in one of these domains may sign in.
  public var allowedEmailDomains: [String] = []
  /// When non-empty, only these emails (or `preferred_username`s) may sign in.
  public var allowedEmails: [String] = []
  /// When non-empty, only users with one of these groups in `groups_claim` may sign in.
  public var allowedGroups: [String] = []
  /// The id_token claim holding the user's groups or roles.
  public var groupsClaim = "groups"
  /// Create a Latchkey user on the first sign-in (just-in-time); otherwise only users linked
  /// before may sign in.
  public var createUsers = true
  /// The id_token signature algorithms accepted; `none` and HMAC are never accepted.
  public var allowedAlgorithms: [JWSAlgorithm] = [.rs256, .es256]
  /// Keep the provider's access and refresh tokens, encrypted in the token vault and tied to
  /// the Latchkey grant, for the MCP server to use (docs/identity-providers.md, "The upstream
  /// token"). Needs `token_vault`.
  public var keepUpstreamTokens = false
  /// Upstream group or role → the resource scopes its members may be granted
  /// (`UpstreamScopeRule`); a scope named here is withheld from users without such a group.
  public var scopeMappings: [String: [String]] = [:]
  /// `github` only: a GitHub Enterprise Server address (API at `<base_url>/api/v3`); nil is
  /// github.com.
  public var baseURL: String?
  /// `github` only: when non-empty, only active members of one of these organizations.
  public var allowedOrganizations: [String] = []
  /// `github` only: when non-empty, only active members of one of these `org/team-slug`s.
  public var allowedTeams: [String] = []
  /// Defaults for a known provider (`IdentityProviderPreset.swift`); nil: plain `oidc`.
  public var preset: Preset?
  /// Entra ID: the directory (tenant) id, or `common`, `organizations`, `consumers`.
  public var tenant: String?
  /// Entra ID: the cloud instance, e.g. `https://login.microsoftonline.us`.
  public var instance: String?
  /// Entra ID `common`/`organizations`: when non-empty, only these tenants (`tid`) may sign in.
  public var allowedTenants: [String] = []
  /// Okta, Auth0: the provider's host name.
  public var domain: String?
  /// Okta: the custom authorization server (`default` when unset).
  public var authorizationServerID: String?
  /// Keycloak: the server's URL and the realm.
  public var serverURL: String?
  public var realm: String?
  /// Auth0: the API identifier sent as `audience` on the authorization request.
  public var audience: String?
  /// `private_key_jwt`: the PEM private key (EC P-256 or RSA), mode 0600.
  public var privateKeyFile: String?
  /// `private_key_jwt`: the `kid` put in the assertion's header (default: the RFC 7638
  /// thumbprint of the key).
  public var keyID: String?
  /// `private_key_jwt`: the assertion's `aud` (default: the token endpoint; the issuer for
  /// Auth0).
  public var assertionAudience: AssertionAudience?

  public init(
    id: String, displayName: String? = nil, issuer: String, clientID: String,
    clientSecretFile: String? = nil, clientSecretEnv: String? = nil
  ) {
    self.id = id
    kind = .oidc
    self.displayName = displayName ?? id
    self.issuer = issuer
    self.clientID = clientID
    self.clientSecretFile = clientSecretFile
    self.clientSecretEnv = clientSecretEnv
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case id, kind, issuer, scopes
    case displayName = "display_name"
    case clientID = "client_id"
    case clientSecretFile = "client_secret_file"
    case clientSecretEnv = "client_secret_env"
    case tokenEndpointAuthMethod = "token_endpoint_auth_method"
    case allowedEmailDomains = "allowed_email_domains"
    case allowedEmails = "allowed_emails"
    case allowedGroups = "allowed_groups"
    case groupsClaim = "groups_claim"
    case createUsers = "create_users"
    case allowedAlgorithms = "allowed_algorithms"
    case keepUpstreamTokens = "keep_upstream_tokens"
    case scopeMappings = "scope_mappings"
    case baseURL = "base_url"
    case allowedOrganizations = "allowed_organizations"
    case allowedTeams = "allowed_teams"
    case preset, tenant, instance, domain, realm, audience
    case allowedTenants = "allowed_tenants"
    case authorizationServerID = "authorization_server_id"
    case serverURL = "server_url"
    case privateKeyFile = "private_key_file"
    case keyID = "key_id"
    case assertionAudience = "assertion_audience"
  }

  /// Every key an `identity_providers[]` element accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// `id`, `issuer` and `client_id` are required; `kind` defaults to `oidc`, `display_name` to
  /// the id.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    let kind = try c.decodeChoice(.kind, ignoringCase: false) ?? Kind.oidc
    var value = IdentityProviderConfiguration(
      id: try c.decode(String.self, forKey: .id),
      issuer: kind == .github ? try Self.gitHubIssuer(c) : "",
      clientID: try c.decode(String.self, forKey: .clientID))
    value.kind = kind
    try value.decodePresetSettings(c)
    try c.decode(.displayName, into: &value, at: \.displayName)
    try c.decode(.clientSecretFile, into: &value, at: \.clientSecretFile)
    try c.decode(.clientSecretEnv, into: &value, at: \.clientSecretEnv)
    value.tokenEndpointAuthMethod =
      try c.decodeChoice(.tokenEndpointAuthMethod, ignoringCase: false)
      ?? value.tokenEndpointAuthMethod
    try c.decode(.scopes, into: &value, at: \.scopes)
    try c.decode(.allowedEmailDomains, into: &value, at: \.allowedEmailDomains)
    try c.decode(.allowedEmails, into: &value, at: \.allowedEmails)
    try c.decode(.allowedGroups, into: &value, at: \.allowedGroups)
    try c.decode(.groupsClaim, into: &value, at: \.groupsClaim)
    try c.decode(.createUsers, into: &value, at: \.createUsers)
    try c.decode(.keepUpstreamTokens, into: &value, at: \.keepUpstreamTokens)
    try c.decode(.scopeMappings, into: &value, at: \.scopeMappings)
    if let names = try c.decodeIfPresent([String].self, forKey: .allowedAlgorithms) {
      value.allowedAlgorithms = try names.map { name in
        guard
          let algorithm = ConfigurationChoice.match(
            name, as: JWSAlgorithm.self, ignoringCase: false)
        else {
          throw ConfigurationProblem.notAllowed(
            path: ConfigurationKeyPath.text(c.codingPath + [CodingKeys.allowedAlgorithms]),
            value: name, allowed: ConfigurationChoice.allowed(JWSAlgorithm.self))
        }
        return algorithm
      }
    }
    try value.decodeGitHubSettings(c)
    self = value
  }

  /// The problem with this provider's settings, or nil: an `id` that cannot be a path segment,
  /// an issuer that is not https (http on loopback only; `IssuerRule`), not exactly one secret
  /// source, no algorithm, or scopes without `openid` (OpenID Connect Core §3.1.2.1).
  public var problem: String? {
    let name = "identity provider \"\(id)\""
    if !Self.isUsableID(id) {
      return "identity provider id \"\(id)\" must be 1–32 of a-z 0-9 - _"
    }
    for (group, scopes) in scopeMappings.sorted(by: { $0.key < $1.key })
    where group.isEmpty || scopes.isEmpty
      || ScopeSet(parameter: scopes.joined(separator: " "))?.tokens.count != Set(scopes).count
    {
      return
        "\(name): scope_mappings entry \"\(group)\" must map a group to one or more scope names"
    }
    if kind == .github || hasGitHubSettings { return gitHubProblem(name) }
    if let problem = presetProblem ?? IssuerRule.validate(issuer) { return "\(name): \(problem)" }
    if clientID.isEmpty { return "\(name): client_id must not be empty" }
    if let problem = clientAuthenticationProblem { return "\(name): \(problem)" }
    if allowedAlgorithms.isEmpty { return "\(name): allowed_algorithms must not be empty" }
    if !scopes.contains("openid") { return "\(name): scopes must include openid" }
    return nil
  }

  /// The client secret: the first line of `client_secret_file`, or the value of
  /// `client_secret_env` in `environment`; nil when absent, unreadable or empty. Never logged.
  public func clientSecret(environment: [String: String]) -> String? {
    let value: String?
    if let path = clientSecretFile {
      value = (try? String(contentsOfFile: path, encoding: .utf8))?
        .split(whereSeparator: \.isNewline).first.map(String.init)
    } else if let name = clientSecretEnv {
      value = environment[name]
    } else {
      value = nil
    }
    guard let value, !value.isEmpty else { return nil }
    return value
  }

  /// An id usable as one URL path segment and in the audit trail: `a-z 0-9 - _`, 1–32.
  static func isUsableID(_ id: String) -> Bool {
    (1...32).contains(id.utf8.count)
      && id.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
          || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
      }
  }
}
