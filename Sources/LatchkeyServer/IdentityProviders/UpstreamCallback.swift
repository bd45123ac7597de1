import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  func addUpstreamCallbackRoutes(to router: Router<LatchkeyRequestContext>) {
    for provider in identityProviders.providers {
      let id = provider.configuration.id
      router.get(RouterPath(upstreamCallbackPath(id))) { request, context in
        await self.upstreamCallback(id, request, context: context)
      }
    }
  }

  /// `GET <issuer>/callback/<provider>`: the provider's authorization response (OpenID Connect
  /// Core §3.1.2.5–§3.1.2.6). Accepted only with the `state` this browser's
  /// `UpstreamLoginCookie` holds, once, within 10 minutes, for a pending interaction this
  /// browser started; then the code is exchanged, the id_token verified, the allow rules
  /// applied, the user linked (or created), and the authorization continues to consent as
  /// after a password sign-in.
  func upstreamCallback(
    _ providerID: String, _ request: Request, context: LatchkeyRequestContext
  ) async -> Response {
    var interaction = InteractionRequest(request, context: context)
    do {
      let now = clock.now()
      guard let query = FormBody.parse(Array((request.uri.query ?? "").utf8)),
        let provider = identityProviders.provider(id: providerID),
        let cookie = UpstreamLoginCookie.read(request), cookie.provider == providerID,
        let state = query["state"], ConstantTime.equals(state, cookie.state)
      else {
        await auditUpstream("login.upstream_refused", providerID, interaction, "state mismatch")
        return errorPage(
          .badRequest, title: "Sign-in not recognised",
          message:
            "This answer from the sign-in provider does not belong to a sign-in started in this browser. Go back to your app and start again."
        )
      }
      guard cookie.isLive(at: now) else { return interactionExpiredPage() }
      guard
        try await ephemeral.recordClientAssertion(
          hash: SecretHash.of("upstream-state:" + state),
          expiresAt: Date(timeIntervalSince1970: Double(cookie.started))
            .addingTimeInterval(UpstreamLoginCookie.lifetime), at: now)
      else { return interactionCompletedPage() }
      let validated: ValidatedAuthorizationRequest
      switch try await resumeInteraction(id: cookie.interaction, &interaction, at: now) {
      case .resumed(_, let request): validated = request
      case .answered(let page): return page
      }
      var response: Response
      if let error = query["error"] {
        response = try await upstreamError(error, provider, validated, interaction: interaction)
      } else {
        response = try await upstreamSignIn(
          code: query["code"], provider, cookie, validated, interaction: interaction)
      }
      response.setCookie(interactionCookies.expiredUpstreamCookie())
      return response
    } catch {
      return serverErrorPage(error)
    }
  }

  /// OpenID Connect Core §3.1.2.6: the provider did not sign the user in. The interaction ends
  /// with an error to the client (OAuth 2.1 §4.1.2.1): `temporarily_unavailable` when the
  /// provider says so (`server_error`, `temporarily_unavailable`), `access_denied` for anything
  /// else (`access_denied`, `login_required`, `interaction_required`, …). The provider's
  /// `error_description` is never passed on.
  func upstreamError(
    _ error: String, _ provider: IdentityProviders.Provider,
    _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest
  ) async throws -> Response {
    guard try await completeInteraction(interaction) else { return interactionCompletedPage() }
    let answer = UpstreamErrorRule.answer(to: error)
    await auditUpstream(
      "login.upstream_error", provider.configuration.id, interaction,
      "provider answered \(UpstreamErrorRule.printable(error))", clientID: validated.client.id)
    return AuthorizationResponse.error(
      answer, redirectURI: validated.redirectURI, state: validated.state, issuer: issuer)
  }

  func auditUpstream(
    _ type: String, _ providerID: String, _ interaction: InteractionRequest, _ detail: String,
    clientID: String? = nil, userID: String? = nil
  ) async {
    await audit(
      AuditEvent(
        time: clock.now(), type: type,
        outcome: type == "login.succeeded" ? .success : .failure, userID: userID,
        clientID: clientID, sourceAddress: interaction.source,
        detail: "provider \(providerID): \(detail)"))
  }
}
