import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// The provider to go to without showing the login page (`UpstreamProviderChoice`): the one
  /// the authorization request names in `provider` (an unknown id shows the page), else the
  /// one the `login_hint`'s email domain picks, else the only provider when there is no
  /// password form.
  func directProvider(_ requested: String?, loginHint: String? = nil) -> String? {
    UpstreamProviderChoice.direct(
      requested: requested, loginHint: loginHint,
      providers: identityProviders.providers.map(\.configuration),
      localAccounts: configuration.localAccounts)
  }

  /// The path of a provider's callback: `<issuer path>/callback/<provider id>`.
  func upstreamCallbackPath(_ providerID: String) -> String {
    issuerPath + "/callback/" + providerID
  }

  /// The provider's `redirect_uri`: Latchkey's fixed callback under the issuer.
  func upstreamRedirectURI(_ providerID: String) -> String {
    issuer + "/callback/" + providerID
  }

  /// The login page's provider button (`provider` in the form): an authorization request to
  /// the provider (OpenID Connect Core §3.1.2.1) with `response_type=code`, our own PKCE S256
  /// challenge (RFC 7636 §4.2), a random `state` and `nonce`, and Latchkey's fixed callback as
  /// `redirect_uri`; the preset's parameters (Google `hd`, Auth0 `audience`) and the MCP
  /// client's `login_hint`, passed on; the browser keeps the other half in
  /// `UpstreamLoginCookie`.
  func startUpstreamLogin(
    _ providerID: String, _ validated: ValidatedAuthorizationRequest,
    interaction: InteractionRequest
  ) async throws -> Response {
    guard let provider = identityProviders.provider(id: providerID),
      let interactionID = interaction.interactionID
    else {
      return errorPage(
        .badRequest, title: "Invalid request", message: "This sign-in option does not exist.")
    }
    let now = clock.now()
    if provider.configuration.kind == .github {
      return startGitHubLogin(
        provider, interactionID: interactionID, loginHint: validated.request.loginHint, at: now)
    }
    let metadata: UpstreamProviderMetadata
    do {
      metadata = try await identityProviders.discovery.metadata(
        for: provider.configuration, at: now)
    } catch {
      logger.warning(
        "identity provider discovery failed",
        metadata: ["provider": "\(providerID)", "error": "\(error)"])
      return Self.providerUnreachablePage(self, provider.configuration.displayName)
    }
    let cookie = UpstreamLoginCookie(
      state: SecureRandom.token(), verifier: SecureRandom.token(), nonce: SecureRandom.token(),
      interaction: interactionID, provider: providerID, started: Int64(now.timeIntervalSince1970))
    guard let endpoint = URLComponents(string: metadata.authorizationEndpoint),
      endpoint.fragment == nil
    else { return Self.providerUnreachablePage(self, provider.configuration.displayName) }
    // OAuth 2.1 §4.1.1: the endpoint's own query is kept; the parameters are appended.
    var response = AuthorizationResponse.redirect(
      to: metadata.authorizationEndpoint,
      parameters: [
        ("response_type", "code"), ("client_id", provider.configuration.clientID),
        ("redirect_uri", upstreamRedirectURI(providerID)),
        ("scope", provider.configuration.scopes.joined(separator: " ")),
        ("state", cookie.state), ("nonce", cookie.nonce),
        ("code_challenge", PKCE.s256Challenge(verifier: cookie.verifier)),
        ("code_challenge_method", "S256"),
      ] + provider.configuration.presetAuthorizationParameters
        + (validated.request.loginHint.map { [("login_hint", $0)] } ?? []))
    response.setCookie(interactionCookies.upstreamCookie(cookie))
    return response
  }

  static func providerUnreachablePage(_ server: AuthorizationServer, _ name: String) -> Response {
    server.errorPage(
      .badGateway, title: "Sign-in provider unavailable",
      message: "\(name) cannot be reached right now. Go back and try again, or try later.")
  }
}
