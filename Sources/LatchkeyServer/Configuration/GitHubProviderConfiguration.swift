import Foundation
import LatchkeyCore

/// The `github` kind of `identity_providers[]` (docs/identity-providers.md#github): GitHub is
/// not an OpenID provider, so it has no issuer to discover; `base_url` names a GitHub
/// Enterprise Server instead, and `allowed_organizations` / `allowed_teams` restrict who may
/// sign in.
extension IdentityProviderConfiguration {
  /// github.com's address, the `issuer` a `github` provider gets without `base_url`.
  public static let gitHubDotCom = "https://github.com"

  /// A `github` provider with its defaults: github.com (or the GitHub Enterprise Server at
  /// `baseURL`), scopes `read:user user:email`, the button labelled "GitHub".
  public static func gitHub(
    id: String, displayName: String? = nil, clientID: String, clientSecretFile: String? = nil,
    clientSecretEnv: String? = nil, baseURL: String? = nil
  ) -> IdentityProviderConfiguration {
    var value = IdentityProviderConfiguration(
      id: id, displayName: displayName ?? "GitHub", issuer: baseURL ?? gitHubDotCom,
      clientID: clientID,
      clientSecretFile: clientSecretFile, clientSecretEnv: clientSecretEnv)
    value.kind = .github
    value.baseURL = baseURL
    value.scopes = gitHubDefaultScopes(organizationRules: false)
    return value
  }

  /// The scopes asked of GitHub when `scopes` is absent: the profile and the email addresses
  /// (`read:user user:email`), and `read:org` when an organization or team rule needs the
  /// memberships (GitHub REST "Scopes for OAuth apps"). GitHub Apps ignore scopes: their
  /// permissions are set in the app's settings.
  static func gitHubDefaultScopes(organizationRules: Bool) -> [String] {
    ["read:user", "user:email"] + (organizationRules ? ["read:org"] : [])
  }

  /// Keys an OpenID provider has that mean nothing to GitHub: refused rather than ignored.
  static let oidcOnlyKeys: [CodingKeys] = [
    .issuer, .tokenEndpointAuthMethod, .allowedGroups, .groupsClaim, .allowedAlgorithms,
  ]

  /// The `issuer` of a `github` provider, which the file does not set: `base_url`, else
  /// github.com.
  static func gitHubIssuer(_ c: KeyedDecodingContainer<CodingKeys>) throws -> String {
    try c.decodeIfPresent(String.self, forKey: .baseURL) ?? gitHubDotCom
  }

  /// Reads `base_url`, `allowed_organizations` and `allowed_teams` for a `github` provider, its
  /// default scopes and label ("GitHub"); refuses the OpenID-only keys for `github` and the GitHub keys for
  /// `oidc`, naming the key.
  mutating func decodeGitHubSettings(_ c: KeyedDecodingContainer<CodingKeys>) throws {
    let misplaced: [CodingKeys] =
      kind == .github ? Self.oidcOnlyKeys : [.baseURL, .allowedOrganizations, .allowedTeams]
    if let key = misplaced.first(where: c.contains) {
      throw ConfigurationProblem.invalidValue(
        path: ConfigurationKeyPath.text(c.codingPath + [key]),
        reason: kind == .github
          ? "not a setting of kind \"github\"" : "a setting of kind \"github\" only")
    }
    guard kind == .github else { return }
    try c.decode(.baseURL, into: &self, at: \.baseURL)
    try c.decode(.allowedOrganizations, into: &self, at: \.allowedOrganizations)
    try c.decode(.allowedTeams, into: &self, at: \.allowedTeams)
    if !c.contains(.displayName) { displayName = "GitHub" }
    if !c.contains(.scopes) {
      let asked = GitHubAllowRule.membershipsToAsk(self)
      scopes = Self.gitHubDefaultScopes(
        organizationRules: !asked.organizations.isEmpty || !asked.teams.isEmpty)
    }
  }

  /// Whether a GitHub-only setting is set (a problem on an `oidc` provider).
  var hasGitHubSettings: Bool {
    baseURL != nil || !allowedOrganizations.isEmpty || !allowedTeams.isEmpty
  }

  /// The problem with a `github` provider's settings (or with GitHub settings on an `oidc`
  /// provider), or nil: a client id, exactly one secret source, a `base_url` that is https (http
  /// on loopback only, as for issuers; `IssuerRule`) and not github.com, organization names and
  /// `org/team-slug`s GitHub can have, and `read:org` among the scopes when a membership rule
  /// needs it.
  func gitHubProblem(_ name: String) -> String? {
    guard kind == .github else {
      return "\(name): base_url, allowed_organizations and allowed_teams are for kind github"
    }
    if clientID.isEmpty { return "\(name): client_id must not be empty" }
    if (clientSecretFile == nil) == (clientSecretEnv == nil) {
      return "\(name): set exactly one of client_secret_file and client_secret_env"
    }
    if let baseURL, let problem = GitHubEndpoints.problem(baseURL: baseURL) {
      return "\(name): \(problem)"
    }
    if !allowedGroups.isEmpty {
      return "\(name): allowed_groups is for oidc; use allowed_organizations or allowed_teams"
    }
    if let bad = allowedOrganizations.first(where: { !GitHubNames.isOrganization($0) }) {
      return "\(name): \"\(bad)\" in allowed_organizations is not a GitHub organization name"
    }
    if let bad = allowedTeams.first(where: { GitHubNames.team($0) == nil }) {
      return "\(name): \"\(bad)\" in allowed_teams is not an organization/team-slug"
    }
    let asked = GitHubAllowRule.membershipsToAsk(self)
    let needsOrg = !asked.organizations.isEmpty || !asked.teams.isEmpty
    if needsOrg, !scopes.contains(where: ["read:org", "write:org", "admin:org"].contains) {
      return
        "\(name): allowed_organizations, allowed_teams and organization or team scope_mappings need the read:org scope"
    }
    return nil
  }
}

/// The names GitHub gives organizations and teams, as they may appear in the allow rules and
/// in API paths.
enum GitHubNames {
  /// An organization (account) name: 1–39 of `A-Z a-z 0-9 -`, not starting with `-`.
  static func isOrganization(_ name: String) -> Bool {
    (1...39).contains(name.utf8.count) && !name.hasPrefix("-")
      && name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
  }

  /// A user's login as GitHub answers it: 1–100 of `A-Z a-z 0-9 - _ .`, not `.` or `..` (it
  /// becomes a path segment and may become a Latchkey username).
  static func isLogin(_ name: String) -> Bool {
    (1...100).contains(name.utf8.count) && name != "." && name != ".."
      && name.utf8.allSatisfy {
        isAlphanumeric($0)
          || [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ".")].contains($0)
      }
  }

  /// `org/team-slug` split in two; nil unless the organization is a name GitHub allows and the
  /// slug is 1–100 of `A-Z a-z 0-9 - _ .`.
  static func team(_ text: String) -> (organization: String, slug: String)? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2, isOrganization(parts[0]), (1...100).contains(parts[1].utf8.count),
      parts[1].utf8.allSatisfy({
        isAlphanumeric($0)
          || [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ".")].contains($0)
      }), parts[1] != ".", parts[1] != ".."
    else { return nil }
    return (parts[0], parts[1])
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }
}
