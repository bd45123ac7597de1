import Foundation

/// Registration metadata after validation, ready to become a `Client`.
public struct ValidatedClientMetadata: Sendable, Equatable {
  /// Registered redirect URIs, each validated (OAuth 2.1 §2.3.1).
  public var redirectURIs: [String]
  /// `client_name`, or a placeholder when absent.
  public var name: String
  /// How the client authenticates at the token endpoint.
  public var tokenEndpointAuthMethod: TokenEndpointAuthMethod
  /// Grant types the client may use (a subset of ``ClientMetadataRule/supportedGrantTypes``).
  public var grantTypes: [GrantType]
  /// `native` or `web`.
  public var applicationType: ApplicationType
  /// Scopes the client may request; empty means whatever the resource offers.
  public var allowedScopes: ScopeSet
  /// `client_uri`, an https URL when present.
  public var clientURI: String?
  /// `logo_uri`, an https URL when present.
  public var logoURI: String?
}

/// RFC 7591 registration metadata validation, with OAuth 2.1 and MCP restrictions.
public enum ClientMetadataRule {
  /// Grant types a client may register.
  ///
  /// `client_credentials` is not among them: RFC 7591 §3 lets the server decide which metadata
  /// an open registration endpoint grants, and a self-registered client acting with no user
  /// would be a token factory for anyone. Operators create such clients with
  /// `latchkey client add --grant-type client_credentials`.
  public static let supportedGrantTypes: Set<GrantType> = [.authorizationCode, .refreshToken]

  /// RFC 7591 §2 and §3.2.2 plus OAuth 2.1 and MCP rules, applied to a registration request.
  ///
  /// Defaults: `token_endpoint_auth_method` = `client_secret_basic` (RFC 7591 §2),
  /// `grant_types` = `["authorization_code"]`, `response_types` = `["code"]`;
  /// `application_type` defaults to `native` when every redirect URI is loopback or a private-use
  /// scheme, else `web`. Only `code` is a response type (OAuth 2.1 removed the implicit grant);
  /// `authorization_code` needs redirect URIs; `client_uri`, `logo_uri`, `policy_uri` and
  /// `tos_uri` must be https URLs (RFC 7591 §2: they are shown to the user; §5 warns about
  /// script schemes).
  ///
  /// RFC 7591 §3.2.2: a value the server does not accept is `invalid_client_metadata` rather
  /// than silently stored. So is any string holding a control character
  /// (`ControlCharacterRule`; a redirect URI holding one is `invalid_redirect_uri`), and, when
  /// `offeredScopes` is given, a `scope` naming a scope the server does not offer (§2:
  /// the server may reject it).
  public static func validate(
    redirectURIs: [String]?, clientName: String?, tokenEndpointAuthMethod: String?,
    grantTypes: [String]?, responseTypes: [String]?, applicationType: String?, scope: String?,
    clientURI: String?, logoURI: String?, policyURI: String? = nil, tosURI: String? = nil,
    softwareID: String? = nil, softwareVersion: String? = nil, offeredScopes: ScopeSet? = nil,
    allowedGrantTypes: Set<GrantType> = supportedGrantTypes,
    allowedAuthMethods: Set<TokenEndpointAuthMethod> = [
      .none, .clientSecretBasic, .clientSecretPost,
    ]
  ) -> Result<ValidatedClientMetadata, OAuthError> {
    let strings: [(String, String?)] = [
      ("client_name", clientName), ("token_endpoint_auth_method", tokenEndpointAuthMethod),
      ("application_type", applicationType), ("scope", scope), ("client_uri", clientURI),
      ("logo_uri", logoURI), ("policy_uri", policyURI), ("tos_uri", tosURI),
      ("software_id", softwareID), ("software_version", softwareVersion),
    ]
    let lists: [(String, [String]?)] = [
      ("grant_types", grantTypes), ("response_types", responseTypes),
    ]
    let malformed =
      strings.first { $0.1.map(ControlCharacterRule.containsControlCharacter) ?? false }?.0
      ?? lists.first {
        $0.1?.contains(where: ControlCharacterRule.containsControlCharacter) ?? false
      }?.0
    if let malformed {
      return .failure(
        OAuthError(.invalidClientMetadata, "\(malformed) holds a control character."))
    }
    let method: TokenEndpointAuthMethod
    if let raw = tokenEndpointAuthMethod {
      guard let parsed = TokenEndpointAuthMethod(rawValue: raw), allowedAuthMethods.contains(parsed)
      else {
        return .failure(
          OAuthError(.invalidClientMetadata, "token_endpoint_auth_method \(raw) is not supported."))
      }
      method = parsed
    } else {
      method = .clientSecretBasic
    }
    var grants: [GrantType] = []
    for raw in grantTypes ?? [GrantType.authorizationCode.rawValue] {
      guard let grant = GrantType(rawValue: raw), allowedGrantTypes.contains(grant) else {
        return .failure(
          OAuthError(.invalidClientMetadata, "The grant type \(raw) is not supported."))
      }
      grants.append(grant)
    }
    // A machine client (client_credentials only, OAuth 2.1 §4.2) has no redirect URIs and
    // must be confidential; every other client is an authorization-code client.
    let machineOnly = grants.allSatisfy { $0 == .clientCredentials } && !grants.isEmpty
    if machineOnly {
      guard method.isConfidential else {
        return .failure(
          OAuthError(
            .invalidClientMetadata, "client_credentials needs a confidential auth method."))
      }
      guard (redirectURIs ?? []).isEmpty, (responseTypes ?? []).isEmpty else {
        return .failure(
          OAuthError(
            .invalidClientMetadata,
            "A client_credentials client has no redirect_uris or response_types."))
      }
      return validatedMachineClient(
        name: clientName, method: method, grants: grants, scope: scope,
        offeredScopes: offeredScopes)
    }
    guard grants.contains(.authorizationCode) else {
      return .failure(
        OAuthError(.invalidClientMetadata, "grant_types must include authorization_code."))
    }
    let responses = responseTypes ?? ["code"]
    guard responses == ["code"] else {
      return .failure(
        OAuthError(.invalidClientMetadata, "Only the response type code is supported."))
    }
    guard let uris = redirectURIs, !uris.isEmpty else {
      return .failure(OAuthError(.invalidRedirectURI, "redirect_uris is required."))
    }
    let type: ApplicationType
    if let raw = applicationType {
      guard let parsed = ApplicationType(rawValue: raw) else {
        return .failure(
          OAuthError(.invalidClientMetadata, "application_type must be native or web."))
      }
      type = parsed
    } else {
      type = ApplicationType.inferred(from: uris)
    }
    // All or nothing (RFC 7591 §3.2.2), and the error names the URI that failed by its place
    // in the request, so a client registering several (Cursor sends three) can tell which one;
    // the value itself is never echoed (an error body reflects nothing the client sent).
    for (index, uri) in uris.enumerated() {
      if let problem = RedirectURIRule.validateForRegistration(uri, applicationType: type) {
        return .failure(
          OAuthError(
            .invalidRedirectURI, "redirect_uris[\(index)] is not allowed (\(problem))."))
      }
    }
    let scopes: ScopeSet
    switch validatedScope(scope, offeredScopes: offeredScopes) {
    case .success(let parsed): scopes = parsed
    case .failure(let error): return .failure(error)
    }
    let pages = [
      ("client_uri", clientURI), ("logo_uri", logoURI), ("policy_uri", policyURI),
      ("tos_uri", tosURI),
    ]
    for (name, uri) in pages {
      if let uri, !isHTTPSURL(uri) {
        return .failure(OAuthError(.invalidClientMetadata, "\(name) must be an https URL."))
      }
    }
    let name = clientName?.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (name?.count ?? 0) <= 200 else {
      return .failure(OAuthError(.invalidClientMetadata, "client_name is too long."))
    }
    return .success(
      ValidatedClientMetadata(
        redirectURIs: uris, name: (name?.isEmpty ?? true) ? "Unnamed client" : name ?? "",
        tokenEndpointAuthMethod: method, grantTypes: grants.uniqued(), applicationType: type,
        allowedScopes: scopes, clientURI: clientURI, logoURI: logoURI))
  }

  /// RFC 7591 §2 `scope`: space-separated scope tokens (RFC 6749 §3.3), each one the server
  /// offers when `offeredScopes` is given (§2: the server may reject the others), besides
  /// `openid` and `offline_access`, which are accepted and ignored as at `/authorize`.
  static func validatedScope(_ scope: String?, offeredScopes: ScopeSet?) -> Result<
    ScopeSet, OAuthError
  > {
    guard let scope else { return .success(.empty) }
    guard let scopes = ScopeSet(parameter: scope) else {
      return .failure(OAuthError(.invalidClientMetadata, "scope is malformed."))
    }
    // `openid` and `offline_access` are never resource scopes; clients that ask for them
    // everywhere (ScopeRule.ignored) are not refused for it.
    let unoffered = offeredScopes.map { scopes.subtracting(ScopeRule.ignored).subtracting($0) }
    if let unoffered, !unoffered.isEmpty {
      return .failure(
        OAuthError(
          .invalidClientMetadata,
          "scope names a scope this server does not offer: " + unoffered.parameter + "."))
    }
    return .success(scopes)
  }

  /// The metadata of a `client_credentials`-only client: no redirect URIs, a name, scopes.
  static func validatedMachineClient(
    name: String?, method: TokenEndpointAuthMethod, grants: [GrantType], scope: String?,
    offeredScopes: ScopeSet?
  ) -> Result<ValidatedClientMetadata, OAuthError> {
    let scopes: ScopeSet
    switch validatedScope(scope, offeredScopes: offeredScopes) {
    case .success(let parsed): scopes = parsed
    case .failure(let error): return .failure(error)
    }
    let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    return .success(
      ValidatedClientMetadata(
        redirectURIs: [], name: trimmed.isEmpty ? "Unnamed client" : trimmed,
        tokenEndpointAuthMethod: method, grantTypes: grants.uniqued(), applicationType: .web,
        allowedScopes: scopes, clientURI: nil, logoURI: nil))
  }

  /// RFC 7591 §2 / §5: a page or logo URL shown to the user is https with a host; `data:`,
  /// `javascript:` and every other scheme are refused.
  static func isHTTPSURL(_ uri: String) -> Bool {
    guard let components = URLComponents(string: uri),
      components.scheme?.lowercased() == "https", let host = components.host
    else { return false }
    return !host.isEmpty
  }

}

extension ApplicationType {
  /// `application_type` when the registration omits it (RFC 7591 §2 leaves the default to the
  /// server; OpenID Connect Registration says `web`): `native` when any redirect URI uses a
  /// private-use scheme (only a native app can receive it; Cursor registers
  /// `cursor://…`, an https page and a loopback URI in one request) or every one is loopback
  /// http, else `web`.
  public static func inferred(from redirectURIs: [String]) -> ApplicationType {
    let parsed = redirectURIs.map { uri in
      (URLComponents(string: uri), URLComponents(string: uri)?.scheme?.lowercased())
    }
    let privateUse = parsed.contains { _, scheme in
      scheme.map { $0 != "http" && $0 != "https" } ?? false
    }
    let allLoopback = parsed.allSatisfy { components, scheme in
      scheme == "http" && components.map(RedirectURIRule.isLoopbackHost) == true
    }
    return privateUse || allLoopback ? .native : .web
  }
}

extension Array where Element: Hashable {
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}
