import Hummingbird
import LatchkeyCore

/// Scopes from upstream groups (issue 23 §3): a provider's `scope_mappings` names, for each
/// upstream group or role, the resource scopes its members may be granted. A scope that some
/// mapping names is *restricted*: only a user with a group mapping to it may have it. A scope
/// no mapping names is unaffected (the resource's own policy applies). The groups are those of
/// the user's last sign-in through each linked provider. RFC 6749 §3.3: the server may grant
/// less than requested and says so in the token response's `scope`.
enum UpstreamScopeRule {
  /// One linked provider with a mapping, and the user's groups there.
  struct Link: Equatable, Sendable {
    var mappings: [String: [String]]
    var groups: [String]
  }

  /// The requested scopes the user may have; `requested` unchanged without mapped links.
  static func permitted(_ requested: ScopeSet, links: [Link]) -> ScopeSet {
    let mapped = links.filter { !$0.mappings.isEmpty }
    guard !mapped.isEmpty else { return requested }
    let restricted = Set(mapped.flatMap { $0.mappings.values.joined() })
    let allowed = Set(mapped.flatMap { link in link.groups.flatMap { link.mappings[$0] ?? [] } })
    return ScopeSet(requested.tokens.filter { !restricted.contains($0) || allowed.contains($0) })
  }
}

extension AuthorizationServer {
  /// The request limited to the scopes the user's upstream groups allow (`UpstreamScopeRule`),
  /// audited as `scope.withheld` when something was taken away (once per interaction: the
  /// consent form's decision passes `audited: false`); nil when nothing is left (the caller
  /// answers `access_denied`).
  func withUpstreamScopeLimits(
    _ validated: ValidatedAuthorizationRequest, userID: String, source: String?,
    audited: Bool = true
  ) async throws -> ValidatedAuthorizationRequest? {
    let mapped = identityProviders.providers.filter { !$0.configuration.scopeMappings.isEmpty }
    guard !mapped.isEmpty else { return validated }
    let links = try await store.userIdentities(userID: userID).compactMap { link in
      mapped.first { $0.configuration.id == link.provider }.map {
        UpstreamScopeRule.Link(mappings: $0.configuration.scopeMappings, groups: link.groups)
      }
    }
    let permitted = UpstreamScopeRule.permitted(validated.scopes, links: links)
    guard permitted != validated.scopes else { return validated }
    if audited {
      await audit(
        AuditEvent(
          time: clock.now(), type: "scope.withheld", outcome: .success, userID: userID,
          clientID: validated.client.id, resource: validated.resource.url,
          scopes: validated.scopes.subtracting(permitted), sourceAddress: source,
          detail: "no upstream group maps to these scopes"))
    }
    guard !permitted.isEmpty else { return nil }
    var limited = validated
    limited.scopes = permitted
    return limited
  }

  /// `access_denied` to the client (OAuth 2.1 §4.1.2.1) when no requested scope is allowed.
  func noPermittedScopes(_ validated: ValidatedAuthorizationRequest) -> Response {
    AuthorizationResponse.error(
      OAuthError(.accessDenied, "The user may not have any of the requested scopes."),
      redirectURI: validated.redirectURI, state: validated.state, issuer: issuer)
  }
}
