import LatchkeyCore

/// An authorization request every rule accepted: the client and redirect URI are known, PKCE
/// is S256, the resource is registered and the scopes are ones it offers.
struct ValidatedAuthorizationRequest: Sendable {
  var request: AuthorizationRequest
  var client: Client
  /// The redirect URI to answer on: the one sent, or the only registered one (OAuth 2.1 §2.3.2).
  var redirectURI: String
  /// Whether `redirect_uri` was in the request; the token request must then repeat it (§4.1.3).
  var redirectURIWasExplicit: Bool
  var state: String?
  var codeChallenge: String
  var resource: Resource
  var scopes: ScopeSet
  /// Requested values not granted (`ScopeTolerance.grantKnownSubset`): audited and named in the
  /// consent page's fine print.
  var droppedScopes: ScopeSet = .empty
  /// `prompt` and `max_age` (OpenID Connect Core §3.1.2.1).
  var prompt: PromptRule.Demand
}
