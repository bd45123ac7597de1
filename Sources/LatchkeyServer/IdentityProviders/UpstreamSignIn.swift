import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// The code half of the callback: exchange, verify the id_token, apply the allow rules, link
  /// or create the user, start Latchkey's own session and continue to consent. A refusal is a
  /// page and an audit event; the interaction stays pending, so the user may go back and sign
  /// in with another account until it expires.
  func upstreamSignIn(
    code: String?, _ provider: IdentityProviders.Provider, _ cookie: UpstreamLoginCookie,
    _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest
  ) async throws -> Response {
    let id = provider.configuration.id
    let clientID = validated.client.id
    guard let code, !code.isEmpty else {
      return errorPage(
        .badRequest, title: "Invalid request",
        message: "The sign-in provider sent no authorization code.")
    }
    let now = clock.now()
    let identity: UpstreamIdentity
    let upstreamTokens: UpstreamTokenResponse?
    switch await upstreamIdentity(code: code, provider, cookie, at: now) {
    case .success(let result):
      identity = result.identity
      upstreamTokens = result.tokens
    case .failure(let failure):
      await auditUpstream(
        "login.upstream_refused", id, interaction, failure.detail, clientID: clientID)
      return failure.page(self, provider.configuration.displayName)
    }
    if let refusal = UpstreamAllowRule.check(identity, provider.configuration) {
      await auditUpstream(
        "login.refused_by_provider_rule", id, interaction, refusal.rawValue, clientID: clientID)
      return errorPage(
        .forbidden, title: "Not allowed",
        message:
          "\(provider.configuration.displayName) signed you in, but this account may not use \(ClientPresentation.issuerHost(issuer)). Ask your administrator, or go back and use another account."
      )
    }
    let linked = try await upstreamUser(identity, provider, at: now)
    guard let user = linked, !user.disabled else {
      await auditUpstream(
        "login.refused_by_provider_rule", id, interaction,
        linked == nil ? "no linked user and create_users is off" : "user disabled",
        clientID: clientID, userID: linked?.id)
      return errorPage(
        .forbidden, title: "Not allowed",
        message:
          "This account has no access to \(ClientPresentation.issuerHost(issuer)). Ask your administrator."
      )
    }
    // The groups of this sign-in decide the scopes the user may be granted (issue 23 §3).
    _ = try await store.updateUserIdentityGroups(
      provider: id, subject: identity.subject,
      groups: identity.groups + identity.organizations + identity.teams)
    // The upstream subject (OpenID Connect Core §2: at most 255 characters, no control
    // characters by `IDTokenRule`) names the account at the provider; it is not a secret.
    await auditUpstream(
      "login.succeeded", id, interaction, "signed in as subject \(identity.subject)",
      clientID: clientID, userID: user.id)
    if let upstreamTokens, provider.configuration.keepUpstreamTokens {
      try await keepUpstreamTokens(
        upstreamTokens, provider, userID: user.id, interaction: interaction, at: now)
    }
    return try await completeSignIn(
      userID: user.id, validated, interaction: interaction, at: now)
  }
}
