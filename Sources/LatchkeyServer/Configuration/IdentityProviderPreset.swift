import Foundation
import LatchkeyCore

extension IdentityProviderConfiguration {
  /// Defaults over `oidc` for providers whose issuer follows from a few settings
  /// (docs/identity-providers.md). A preset only fills in what the operator did not set; the
  /// protocol, the checks and the allow rules stay those of any OpenID Connect provider.
  public enum Preset: String, Sendable, Codable, CaseIterable {
    /// Google (Workspace or consumer accounts): issuer `https://accounts.google.com`.
    case google
    /// Microsoft Entra ID (v2.0 endpoint): issuer `<instance>/<tenant>/v2.0`.
    case entra
    /// Okta: issuer `https://<domain>/oauth2/<authorization_server_id>`.
    case okta
    /// Keycloak: issuer `<server_url>/realms/<realm>`.
    case keycloak
    /// Auth0: issuer `https://<domain>/` (with the trailing slash Auth0 puts in `iss`).
    case auth0
  }

  /// Who the `client_assertion` of `private_key_jwt` is addressed to (its `aud`).
  public enum AssertionAudience: String, Sendable, Codable, CaseIterable {
    /// The provider's token endpoint: OpenID Connect Core §9 ("SHOULD be the URL of the
    /// Authorization Server's Token Endpoint"), RFC 7523 §3; what Entra ID and Okta require.
    case tokenEndpoint = "token_endpoint"
    /// The provider's issuer identifier: what Auth0 requires, and what
    /// draft-ietf-oauth-rfc7523bis recommends against audience-injection attacks.
    case issuer
  }

  /// The Microsoft Entra ID cloud instance used when `instance` is not set.
  public static let entraDefaultInstance = "https://login.microsoftonline.com"
  /// The tenant of personal Microsoft accounts: `consumers` answers with this issuer.
  static let entraConsumersTenant = "9188040d-6c67-4c5b-b112-36a304b66dad"
  /// The placeholder in the `issuer` of the `common` and `organizations` discovery documents.
  static let entraTenantPlaceholder = "{tenantid}"

  /// The issuer the preset derives from its own settings; nil without a preset, or when the
  /// settings it needs are missing (then `issuer` must be set instead, where the preset allows).
  public var presetIssuer: String? {
    switch preset {
    case nil: return nil
    case .google: return "https://accounts.google.com"
    case .entra:
      guard let tenant else { return nil }
      let segment = tenant.lowercased() == "consumers" ? Self.entraConsumersTenant : tenant
      return entraInstance + "/" + segment + "/v2.0"
    case .okta:
      guard let domain else { return nil }
      return "https://\(domain)/oauth2/\(authorizationServerID ?? "default")"
    case .keycloak:
      guard let serverURL, let realm else { return nil }
      return (serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL) + "/realms/"
        + realm
    case .auth0:
      guard let domain else { return nil }
      return "https://\(domain)/"
    }
  }

  /// The Entra ID cloud instance without a trailing slash.
  var entraInstance: String {
    let instance = instance ?? Self.entraDefaultInstance
    return instance.hasSuffix("/") ? String(instance.dropLast()) : instance
  }

  /// Microsoft Entra ID multi-tenant endpoints (`common`, `organizations`): their discovery
  /// document's `issuer` is `<instance>/{tenantid}/v2.0`, and each id_token's `iss` is that
  /// template with the token's `tid` in place of `{tenantid}`. Nil for every other provider,
  /// whose issuer is compared exactly.
  public var issuerTemplate: String? {
    guard preset == .entra, let tenant,
      ["common", "organizations"].contains(tenant.lowercased())
    else { return nil }
    return entraInstance + "/" + Self.entraTenantPlaceholder + "/v2.0"
  }

  /// Parameters the preset adds to the authorization request (OpenID Connect Core §3.1.2.1
  /// allows extensions): Google's `hd` when exactly one email domain is allowed (only a hint
  /// for the account chooser: the domain is still checked on the verified email), Auth0's
  /// `audience` when set.
  var presetAuthorizationParameters: [(String, String)] {
    switch preset {
    case .google where allowedEmailDomains.count == 1:
      return [("hd", allowedEmailDomains[0].lowercased())]
    case .auth0:
      return audience.map { [("audience", $0)] } ?? []
    default: return []
    }
  }

  /// The `aud` of the `private_key_jwt` assertion: the configured one, else the issuer for
  /// Auth0 (its documented requirement), else the token endpoint.
  var effectiveAssertionAudience: AssertionAudience {
    assertionAudience ?? (preset == .auth0 ? .issuer : .tokenEndpoint)
  }

  /// The settings that belong to one or more presets, by key, for the "applies only to"
  /// check.
  private var presetSettings: [(key: String, isSet: Bool, presets: [Preset])] {
    [
      ("tenant", tenant != nil, [.entra]), ("instance", instance != nil, [.entra]),
      ("allowed_tenants", !allowedTenants.isEmpty, [.entra]),
      ("domain", domain != nil, [.okta, .auth0]),
      ("authorization_server_id", authorizationServerID != nil, [.okta]),
      ("server_url", serverURL != nil, [.keycloak]), ("realm", realm != nil, [.keycloak]),
      ("audience", audience != nil, [.auth0]),
    ]
  }

  /// The problem with the preset settings, or nil: a preset key without its preset, a tenant
  /// that is not a directory id or `common`/`organizations`/`consumers`, `allowed_tenants`
  /// outside the multi-tenant endpoints, a domain that is not a host name, a realm or an
  /// authorization server id that is not one path segment, an issuer that disagrees with the
  /// preset's own settings.
  var presetProblem: String? {
    if preset != nil, kind != .oidc { return "preset is for kind oidc" }
    for setting in presetSettings where setting.isSet {
      guard let preset, setting.presets.contains(preset) else {
        let names = setting.presets.map(\.rawValue).joined(separator: " or ")
        return "\(setting.key) applies only to preset \(names)"
      }
    }
    guard let preset else { return nil }
    switch preset {
    case .google: return nil
    case .entra: return entraProblem
    case .okta, .auth0:
      if let domain, !Self.isHostName(domain) {
        return
          "domain must be a host name such as example.\(preset == .okta ? "okta" : "auth0").com (no scheme, no path)"
      }
      if let id = authorizationServerID, !Self.isPathSegment(id) {
        return "authorization_server_id must be one path segment of A-Z a-z 0-9 - _ ."
      }
      if domain == nil, authorizationServerID != nil {
        return "authorization_server_id needs domain"
      }
    case .keycloak:
      if (serverURL == nil) != (realm == nil) {
        return "preset keycloak needs both server_url and realm"
      }
      if let serverURL, let problem = IssuerRule.validate(serverURL) {
        return "server_url: \(problem.replacingOccurrences(of: "issuer ", with: ""))"
      }
      if let realm, !Self.isPathSegment(realm) {
        return "realm must be one path segment of A-Z a-z 0-9 - _ ."
      }
    }
    if let derived = presetIssuer, issuer != derived {
      return "issuer \(issuer) disagrees with the preset's \(derived); set one of them"
    }
    return nil
  }

  private var entraProblem: String? {
    guard let tenant else {
      return
        "preset entra needs tenant: the directory (tenant) id, or common, organizations or consumers"
    }
    let multiTenant = ["common", "organizations", "consumers"].contains(tenant.lowercased())
    guard multiTenant || Self.isGUID(tenant) else {
      return
        "tenant must be the directory (tenant) id — a GUID, shown on the Entra admin center's Overview page — or common, organizations or consumers; a domain name makes Entra answer with the GUID's issuer, which Latchkey compares exactly"
    }
    if let instance, let problem = IssuerRule.validate(instance) {
      return "instance: \(problem.replacingOccurrences(of: "issuer ", with: ""))"
    }
    if let instance, let path = URLComponents(string: instance)?.path, !["", "/"].contains(path) {
      return "instance must be the cloud's origin, e.g. https://login.microsoftonline.us"
    }
    if !allowedTenants.isEmpty, issuerTemplate == nil {
      return "allowed_tenants applies only to tenant common or organizations"
    }
    if let bad = allowedTenants.first(where: { !Self.isGUID($0) }) {
      return "allowed_tenants holds \"\(bad)\", which is not a directory (tenant) id (a GUID)"
    }
    if let derived = presetIssuer, issuer != derived {
      return "issuer follows from tenant and instance with preset entra; remove issuer"
    }
    return nil
  }

  /// A GUID as Entra writes directory ids: 8-4-4-4-12 hexadecimal digits.
  static func isGUID(_ text: String) -> Bool {
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12]
      && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
  }

  /// A DNS host name: dot-separated labels of letters, digits and hyphens.
  static func isHostName(_ text: String) -> Bool {
    let labels = text.split(separator: ".", omittingEmptySubsequences: false)
    return labels.count >= 2 && text.utf8.count <= 253
      && labels.allSatisfy { label in
        (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
          && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
      }
  }

  /// One URL path segment that needs no encoding: `A-Z a-z 0-9 - _ .`, not `.` or `..`.
  static func isPathSegment(_ text: String) -> Bool {
    !text.isEmpty && text != "." && text != ".." && text.utf8.count <= 255
      && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
  }
}

extension IdentityProviderConfiguration {
  /// The issuer a file gives with a preset: the preset's own (the file's `issuer` then only
  /// with Google, where it overrides), else the file's `issuer`. Nil with the problem when
  /// both or neither are there.
  func presetIssuerChoice(explicit: String?) -> Result<String, PresetIssuerProblem> {
    guard let preset else {
      return explicit.map { .success($0) } ?? .failure(.missing("issuer"))
    }
    switch (presetIssuer, explicit) {
    case (let derived?, nil): return .success(derived)
    case (_?, let explicit?) where preset == .google: return .success(explicit)
    case (_?, _?):
      return .failure(
        .invalid("set either issuer or the settings of preset \(preset.rawValue), not both"))
    case (nil, let explicit?) where preset != .entra: return .success(explicit)
    case (nil, _):
      let needs =
        switch preset {
        case .entra: "tenant"
        case .keycloak: "server_url and realm (or issuer)"
        case .google, .okta, .auth0: "domain (or issuer)"
        }
      return .failure(.invalid("preset \(preset.rawValue) needs \(needs)"))
    }
  }

  enum PresetIssuerProblem: Error, Equatable {
    case missing(String)
    case invalid(String)
  }
}

extension IdentityProviderConfiguration {
  /// The preset and `private_key_jwt` keys: OpenID Connect providers only.
  static let oidcPresetKeys: [CodingKeys] = [
    .preset, .tenant, .instance, .allowedTenants, .domain, .authorizationServerID, .serverURL,
    .realm, .audience, .privateKeyFile, .keyID, .assertionAudience,
  ]

  /// Reads `preset` and its settings, the `private_key_jwt` settings, and for `oidc` the issuer
  /// (`presetIssuerChoice`): a missing issuer is a missing key, a preset without what it needs
  /// (or with an `issuer` besides its own settings) names the preset's path.
  mutating func decodePresetSettings(_ c: KeyedDecodingContainer<CodingKeys>) throws {
    if kind != .oidc, let key = Self.oidcPresetKeys.first(where: c.contains) {
      throw ConfigurationProblem.invalidValue(
        path: ConfigurationKeyPath.text(c.codingPath + [key]),
        reason: "not a setting of kind \"\(kind.rawValue)\"")
    }
    preset = try c.decodeChoice(.preset, ignoringCase: false)
    try c.decode(.tenant, into: &self, at: \.tenant)
    try c.decode(.instance, into: &self, at: \.instance)
    try c.decode(.allowedTenants, into: &self, at: \.allowedTenants)
    try c.decode(.domain, into: &self, at: \.domain)
    try c.decode(.authorizationServerID, into: &self, at: \.authorizationServerID)
    try c.decode(.serverURL, into: &self, at: \.serverURL)
    try c.decode(.realm, into: &self, at: \.realm)
    try c.decode(.audience, into: &self, at: \.audience)
    try c.decode(.privateKeyFile, into: &self, at: \.privateKeyFile)
    try c.decode(.keyID, into: &self, at: \.keyID)
    assertionAudience = try c.decodeChoice(.assertionAudience, ignoringCase: false)
    guard kind == .oidc else { return }
    switch presetIssuerChoice(explicit: try c.decodeIfPresent(String.self, forKey: .issuer)) {
    case .success(let issuer): self.issuer = issuer
    case .failure(.missing):
      throw ConfigurationProblem.missingKey(
        path: ConfigurationKeyPath.text(c.codingPath + [CodingKeys.issuer]))
    case .failure(.invalid(let reason)):
      throw ConfigurationProblem.invalidValue(
        path: ConfigurationKeyPath.text(c.codingPath + [CodingKeys.preset]), reason: reason)
    }
  }

  /// The problem with the client authentication settings, or nil: `private_key_jwt` needs
  /// `private_key_file` and no client secret (only for `oidc`); every other method exactly one
  /// secret source and none of the `private_key_jwt` settings.
  var clientAuthenticationProblem: String? {
    guard tokenEndpointAuthMethod == .privateKeyJWT else {
      if privateKeyFile != nil || keyID != nil || assertionAudience != nil {
        return
          "private_key_file, key_id and assertion_audience need token_endpoint_auth_method private_key_jwt"
      }
      if (clientSecretFile == nil) == (clientSecretEnv == nil) {
        return "set exactly one of client_secret_file and client_secret_env"
      }
      return nil
    }
    if kind != .oidc { return "private_key_jwt is for kind oidc" }
    if privateKeyFile == nil { return "private_key_jwt needs private_key_file" }
    if clientSecretFile != nil || clientSecretEnv != nil {
      return "private_key_jwt authenticates with private_key_file; remove the client secret"
    }
    if let keyID, keyID.isEmpty || keyID.utf8.count > 255 {
      return "key_id must be 1–255 characters"
    }
    return nil
  }
}
