import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// After sign-in: skip consent when every requested scope was consented before (and neither
  /// the policy nor `prompt=consent` asks for the page), otherwise ask for the scopes not yet
  /// granted (incremental consent). Skipping completes the interaction, so it issues one code.
  func continueAuthorization(
    _ requested: ValidatedAuthorizationRequest, userID: String, interaction: InteractionRequest
  ) async throws -> Response {
    guard let user = try await store.user(id: userID), !user.disabled else {
      return loginPage(requested, interaction: interaction, note: "Please sign in again.")
    }
    // The consent page only offers what the user's upstream groups allow (issue 23 §3).
    guard
      let validated = try await withUpstreamScopeLimits(
        requested, userID: user.id, source: interaction.source)
    else {
      guard try await completeInteraction(interaction) else { return interactionCompletedPage() }
      return noPermittedScopes(requested)
    }
    let consent = try await store.consent(
      userID: user.id, clientID: validated.client.id, resource: validated.resource.url)
    let granted = consent?.scopes ?? .empty
    let missing = validated.scopes.subtracting(granted)
    if missing.isEmpty, configuration.consent.skipWhenAlreadyGranted,
      !validated.prompt.forcesConsent
    {
      guard try await completeInteraction(interaction) else { return interactionCompletedPage() }
      return try await issueCode(
        validated, userID: user.id, source: interaction.source,
        interactionID: interaction.interactionID)
    }
    return consentPage(
      validated, username: user.username, scopes: missing.isEmpty ? validated.scopes : missing,
      grantedBefore: !granted.isEmpty && !missing.isEmpty, interaction: interaction)
  }

  /// Marks the request's interaction decided; false when another request decided it first.
  func completeInteraction(_ interaction: InteractionRequest) async throws -> Bool {
    guard let id = interaction.interactionID else { return false }
    return try await self.interaction.interactions.complete(id: id, at: clock.now())
  }

  /// The consent form's `decision`: `approve` remembers the consent and issues the code,
  /// `deny` answers `access_denied` (OAuth 2.1 §4.1.2.1). Only the user who signed in for this
  /// interaction may decide, and only once: the decision completes the interaction atomically
  /// before anything is written or sent.
  func decide(
    _ decision: String, _ requested: ValidatedAuthorizationRequest, stored: StoredInteraction,
    interaction: InteractionRequest
  ) async throws -> Response {
    var validated = requested
    guard decision == "approve" || decision == "deny" else {
      return errorPage(
        .badRequest, title: "Invalid request", message: "The decision must be approve or deny.")
    }
    guard let userID = try await signedInUser(interaction), userID == stored.userID,
      let user = try await store.user(id: userID),
      !user.disabled
    else {
      return loginPage(validated, interaction: interaction, note: "Please sign in again.")
    }
    if decision == "approve" {
      guard
        let limited = try await withUpstreamScopeLimits(
          requested, userID: user.id, source: interaction.source, audited: false)
      else {
        guard try await completeInteraction(interaction) else {
          return interactionCompletedPage()
        }
        return noPermittedScopes(requested)
      }
      validated = limited
    }
    guard try await completeInteraction(interaction) else { return interactionCompletedPage() }
    let now = clock.now()
    let event = AuditEvent(
      time: now, type: "consent.granted", outcome: .success, userID: user.id,
      clientID: validated.client.id, resource: validated.resource.url, scopes: validated.scopes,
      sourceAddress: interaction.source)
    if decision == "deny" {
      var denied = event
      denied.type = "consent.denied"
      denied.outcome = .failure
      await audit(denied)
      return AuthorizationResponse.error(
        OAuthError(.accessDenied, "The user denied the request."),
        redirectURI: validated.redirectURI, state: validated.state, issuer: issuer)
    }
    _ = try await store.approveConsent(
      userID: user.id, clientID: validated.client.id, resource: validated.resource.url,
      scopes: validated.scopes, at: now)
    await audit(event)
    return try await issueCode(
      validated, userID: user.id, source: interaction.source,
      interactionID: interaction.interactionID)
  }

  /// OAuth 2.1 §4.1.2: a single-use code of 256 random bits, stored only as its hash, bound to
  /// the client, redirect URI, PKCE challenge, resource, scopes and user, and stored together
  /// with the grant it starts. Upstream tokens the interaction's sign-in kept are tied to
  /// that grant.
  func issueCode(
    _ validated: ValidatedAuthorizationRequest, userID: String, source: String?,
    interactionID: String? = nil
  ) async throws -> Response {
    let now = clock.now()
    let code = SecureRandom.token()
    let grant = Grant(
      id: SecureRandom.token(byteCount: 16), userID: userID, clientID: validated.client.id,
      resource: validated.resource.url, scopes: validated.scopes, createdAt: now,
      expiresAt: now.addingTimeInterval(TimeInterval(configuration.tokens.refreshFamily)))
    let record = AuthorizationCode(
      codeHash: SecretHash.of(code), grantID: grant.id, clientID: validated.client.id,
      userID: userID, resource: validated.resource.url, scopes: validated.scopes,
      redirectURI: validated.redirectURI, redirectURIWasExplicit: validated.redirectURIWasExplicit,
      codeChallenge: validated.codeChallenge, issuedAt: now,
      expiresAt: now.addingTimeInterval(TimeInterval(configuration.tokens.authorizationCode)))
    try await store.issueCode(record, grant: grant)
    await attachUpstreamTokens(interactionID: interactionID, grantID: grant.id, at: now)
    await audit(
      AuditEvent(
        time: now, type: "code.issued", outcome: .success, userID: userID,
        clientID: validated.client.id, resource: validated.resource.url, scopes: validated.scopes,
        sourceAddress: source))
    return AuthorizationResponse.code(code, for: validated, issuer: issuer)
  }
}
