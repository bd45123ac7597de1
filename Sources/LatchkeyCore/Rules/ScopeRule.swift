import Foundation

/// How `/authorize` treats scope values a resource does not offer.
public enum ScopeTolerance: String, Sendable, Codable, CaseIterable {
  /// RFC 6749 §3.3 lets the AS grant less than asked and say so in the token response: unknown
  /// values are dropped (audited, named on the consent page); when none known remains, the
  /// resource's default scopes apply. Deployed clients send `claudeai`, `read write`,
  /// `openid email profile`. The default.
  case grantKnownSubset = "grant_known_subset"
  /// Any unknown value ends the request with `invalid_scope`.
  case strict
}

/// The scopes an authorization request is granted, and the values it asked for in vain.
public struct ScopeResolution: Sendable, Equatable {
  public var granted: ScopeSet
  /// Requested values not granted (unknown to the resource, or outside a preregistered
  /// client's allowed scopes); `openid` and `offline_access` are never listed.
  public var dropped: ScopeSet

  public init(granted: ScopeSet, dropped: ScopeSet = .empty) {
    self.granted = granted
    self.dropped = dropped
  }
}

/// Scope decisions for authorization and refresh requests.
public enum ScopeRule {
  /// MCP 2026-07-28 "Refresh Tokens" / OpenID Connect Core §11: `offline_access` asks the AS
  /// for a refresh token. It is an AS-level scope, never a resource scope: Latchkey accepts it
  /// and leaves it out of the granted scopes (refresh tokens go to every client registered for
  /// the `refresh_token` grant).
  public static let offlineAccess = ScopeSet(["offline_access"])

  /// Values that are never resource scopes and are ignored wherever they appear: `openid`
  /// (OpenID Connect Core §3.1.2.1; Latchkey is not an OpenID provider) and `offline_access`.
  public static let ignored = ScopeSet(["openid", "offline_access"])

  /// The scopes granted under `tolerance` (see `ScopeTolerance`).
  ///
  /// OAuth 2.1 §3.2.2.1 / RFC 6749 §3.3: the resource's default scopes when nothing usable was
  /// asked for; a preregistered client with allowed scopes is limited to them; never an empty
  /// grant (`invalid_scope`).
  public static func resolve(
    requested: ScopeSet?, resource: Resource, client: Client, tolerance: ScopeTolerance
  ) -> Result<ScopeResolution, OAuthError> {
    let asked = requested?.subtracting(ignored) ?? .empty
    switch tolerance {
    case .strict:
      return resolve(requested: asked, resource: resource, client: client).map {
        ScopeResolution(granted: $0)
      }
    case .grantKnownSubset:
      var permitted = resource.offeredScopes
      if client.origin == .preregistered, !client.allowedScopes.isEmpty {
        permitted = permitted.intersection(client.allowedScopes)
      }
      let known = asked.intersection(permitted)
      let granted = known.isEmpty ? resource.defaultScopes.intersection(permitted) : known
      guard !granted.isEmpty else {
        return .failure(
          OAuthError(.invalidScope, "None of the requested scopes is offered, and none is default.")
        )
      }
      return .success(ScopeResolution(granted: granted, dropped: asked.subtracting(permitted)))
    }
  }

  /// Parses a `scope` parameter the way `tolerance` allows: strictly as RFC 6749 §3.3 says,
  /// or also splitting on `+` (a form-encoding artefact some clients send double-encoded).
  public static func parse(_ parameter: String, tolerance: ScopeTolerance) -> ScopeSet? {
    switch tolerance {
    case .strict: ScopeSet(parameter: parameter)
    case .grantKnownSubset:
      ScopeSet(parameter: parameter.replacingOccurrences(of: "+", with: " "))
    }
  }

  /// The scopes an authorization request is granted at a resource.
  ///
  /// OAuth 2.1 §3.2.2.1 / RFC 6749 §3.3: the AS may apply a default when `scope` is omitted
  /// (Latchkey: the resource's default scopes) and refuses scopes it does not know
  /// (`invalid_scope`). A client an administrator registered with allowed scopes is limited to
  /// them. The `scope` a client asserts about itself (dynamic registration, metadata document)
  /// is no limit: MCP clients register with the scope of the first 401 challenge (MCP "Scope
  /// Selection Strategy") and later step up to the scopes of a 403 `insufficient_scope`
  /// challenge; a self-chosen ceiling would refuse that step-up and protect nothing, since the
  /// client could register again with more.
  public static func resolve(requested: ScopeSet?, resource: Resource, client: Client)
    -> Result<ScopeSet, OAuthError>
  {
    let asked = requested?.subtracting(offlineAccess)
    let wanted = (asked?.isEmpty ?? true) ? resource.defaultScopes : asked ?? .empty
    let unknown = wanted.subtracting(resource.offeredScopes)
    guard unknown.isEmpty else {
      return .failure(
        OAuthError(.invalidScope, "The resource does not offer the scope \(unknown.tokens[0])."))
    }
    if client.origin == .preregistered, !client.allowedScopes.isEmpty,
      !wanted.isSubset(of: client.allowedScopes)
    {
      return .failure(OAuthError(.invalidScope, "The client may not request this scope."))
    }
    guard !wanted.isEmpty else {
      return .failure(OAuthError(.invalidScope, "No scope was requested and none is default."))
    }
    return .success(wanted)
  }

  /// The scopes of a `client_credentials` token (OAuth 2.1 §4.2.1, RFC 6749 §3.3): what the
  /// client may have at the resource is the resource's offered scopes within the client's
  /// allowed scopes (its `scope`; when it has none, the resource's default scopes). Omitted →
  /// all of those; requested → exactly those, and a scope outside them is `invalid_scope` (no
  /// user consents here, so nothing is widened or silently dropped). `offline_access` and
  /// `openid` are ignored.
  public static func resolveForClient(requested: ScopeSet?, resource: Resource, client: Client)
    -> Result<ScopeSet, OAuthError>
  {
    let ceiling = client.allowedScopes.isEmpty ? resource.defaultScopes : client.allowedScopes
    let permitted = resource.offeredScopes.intersection(ceiling)
    let asked = requested?.subtracting(ignored) ?? .empty
    guard asked.isSubset(of: permitted) else {
      return .failure(
        OAuthError(
          .invalidScope,
          "The client may not request " + asked.subtracting(permitted).parameter + " here."))
    }
    let granted = asked.isEmpty ? permitted : asked
    guard !granted.isEmpty else {
      return .failure(OAuthError(.invalidScope, "The client has no scope at this resource."))
    }
    return .success(granted)
  }

  /// The scopes of a refreshed access token (OAuth 2.1 §4.3.1): the request may narrow the
  /// granted scopes, never widen them; omitted means unchanged.
  public static func narrow(requested: ScopeSet?, granted: ScopeSet) -> Result<ScopeSet, OAuthError>
  {
    guard let requested = requested?.subtracting(offlineAccess), !requested.isEmpty else {
      return .success(granted)
    }
    guard requested.isSubset(of: granted) else {
      return .failure(OAuthError(.invalidScope, "The requested scope exceeds the grant."))
    }
    return .success(requested)
  }
}
