import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// The access token an MCP server gets from the vault: the provider's, never Latchkey's.
struct UpstreamAccess: Sendable, Equatable {
  var provider: String
  var accessToken: String
  var tokenType: String
  var scope: String?
  var expiresAt: Int64?
}

/// Why no upstream token is handed out; `detail` goes to the audit trail, never a token.
enum UpstreamAccessRefusal: Error, Equatable {
  /// No live grant of this user, client and resource holds a record.
  case none
  /// The record does not open (its key is gone or the box was tampered with).
  case unreadable
  /// The access token expired and the provider did not refresh it.
  case refreshFailed(String)

  var detail: String {
    switch self {
    case .none: "no upstream token for this grant"
    case .unreadable: "the sealed upstream token does not open"
    case .refreshFailed(let reason): "upstream refresh failed: \(reason)"
    }
  }
}

extension AuthorizationServer {
  /// How long a pending record waits for its interaction to issue a code (the interaction's
  /// own lifetime).
  static let pendingUpstreamTokenLifetime: TimeInterval = 600
  /// An upstream access token this close to its expiry is refreshed before it is handed out.
  static let upstreamRefreshMargin: Int64 = 60

  /// Seals the provider's tokens and keeps them pending for the interaction, which ties them
  /// to the grant its code starts (`attachUpstreamTokens`). Without a vault nothing is kept
  /// (configuration validation refuses `keep_upstream_tokens` without one).
  func keepUpstreamTokens(
    _ tokens: UpstreamTokenResponse, _ provider: IdentityProviders.Provider, userID: String,
    interaction: InteractionRequest, at now: Date
  ) async throws {
    guard let tokenVault, let interactionID = interaction.interactionID else { return }
    let id = SecureRandom.token(byteCount: 16)
    let set = UpstreamTokenSet(tokens, at: now)
    let sealed = try tokenVault.seal(
      set, recordID: id, userID: userID, provider: provider.configuration.id)
    try await store.insertUpstreamToken(
      UpstreamTokenRecord(
        id: id, userID: userID, provider: provider.configuration.id,
        interactionID: interactionID, keyID: sealed.keyID, sealed: sealed.sealed,
        accessExpiresAt: set.expiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
        createdAt: now))
  }

  /// Ties the interaction's pending upstream tokens (if any) to the grant it just issued.
  func attachUpstreamTokens(interactionID: String?, grantID: String, at now: Date) async {
    guard tokenVault != nil, let interactionID else { return }
    do {
      _ = try await store.attachUpstreamToken(
        interactionID: interactionID, grantID: grantID, at: now)
    } catch {
      logger.error("upstream token attach failed", metadata: ["grant": "\(grantID)"])
    }
  }

  /// Whether a signed-in session may be reused without a new upstream sign-in: not when the
  /// user is linked to a provider that keeps upstream tokens, because every grant gets the
  /// tokens of its own upstream authorization (so revoking one grant never breaks another).
  func sessionKeepsUpstreamTokens(userID: String) async throws -> Bool {
    let keeping = Set(
      identityProviders.providers.filter(\.configuration.keepUpstreamTokens).map(
        \.configuration.id))
    guard !keeping.isEmpty else { return false }
    return try await store.userIdentities(userID: userID).contains { keeping.contains($0.provider) }
  }

  /// The upstream access token behind a verified Latchkey access token (user, client,
  /// resource): the newest live grant of the three that holds a record. An access token close
  /// to expiry is refreshed at the provider first (one refresh wins; the others read its
  /// result); a box sealed with an older key is sealed again with the current one.
  func upstreamAccess(userID: String, clientID: String, resource: String, at now: Date)
    async throws -> Result<UpstreamAccess, UpstreamAccessRefusal>
  {
    guard let tokenVault else { return .failure(.none) }
    let grants = try await store.grants(
      matching: GrantFilter(userID: userID, clientID: clientID, resource: resource))
    for grant in grants.reversed() where grant.isLive(at: now) {
      guard var record = try await store.upstreamToken(grantID: grant.id) else { continue }
      for _ in 0..<3 {
        guard let set = tokenVault.open(record) else { return .failure(.unreadable) }
        let fresh =
          set.expiresAt.map { $0 - Self.upstreamRefreshMargin > Int64(now.timeIntervalSince1970) }
          ?? true
        if fresh, record.keyID == tokenVault.sealingKeyID {
          return .success(Self.access(set, provider: record.provider))
        }
        var next = set
        if !fresh {
          switch await refreshUpstream(set, provider: record.provider, at: now) {
          case .success(let refreshed): next = refreshed
          case .failure(let refusal): return .failure(refusal)
          }
        }
        let sealed = try tokenVault.seal(
          next, recordID: record.id, userID: record.userID, provider: record.provider)
        var updated = record
        updated.keyID = sealed.keyID
        updated.sealed = sealed.sealed
        updated.accessExpiresAt = next.expiresAt.map {
          Date(timeIntervalSince1970: TimeInterval($0))
        }
        if try await store.updateUpstreamToken(updated, at: now) {
          if !fresh {
            await audit(
              AuditEvent(
                time: now, type: "upstream_token.refreshed", outcome: .success, userID: userID,
                clientID: clientID, resource: resource, detail: "provider \(record.provider)"))
          }
          return .success(Self.access(next, provider: record.provider))
        }
        // Another request refreshed or re-sealed it first: read what it stored.
        guard let current = try await store.upstreamToken(grantID: grant.id) else {
          return .failure(.none)
        }
        record = current
      }
      return .failure(.refreshFailed("concurrent updates"))
    }
    return .failure(.none)
  }

  static func access(_ set: UpstreamTokenSet, provider: String) -> UpstreamAccess {
    UpstreamAccess(
      provider: provider, accessToken: set.accessToken, tokenType: set.tokenType ?? "Bearer",
      scope: set.scope, expiresAt: set.expiresAt)
  }

  /// RFC 6749 §6 at the provider's token endpoint, authenticated as at sign-in (`github`:
  /// GitHub's access-token URL with the app's id and secret, as GitHub documents for
  /// expiring user tokens).
  func refreshUpstream(_ set: UpstreamTokenSet, provider id: String, at now: Date) async
    -> Result<UpstreamTokenSet, UpstreamAccessRefusal>
  {
    guard let refreshToken = set.refreshToken else {
      return .failure(.refreshFailed("expired and no refresh token"))
    }
    guard let provider = identityProviders.provider(id: id) else {
      return .failure(.refreshFailed("provider no longer configured"))
    }
    let configuration = provider.configuration
    let endpoint: String
    if configuration.kind == .github {
      endpoint = GitHubEndpoints(baseURL: configuration.baseURL).accessToken
    } else {
      guard
        let metadata = try? await identityProviders.discovery.metadata(
          for: configuration, at: now)
      else { return .failure(.refreshFailed("provider unreachable")) }
      endpoint = metadata.tokenEndpoint
    }
    let response: HTTPFetchResponse
    switch await postUpstreamTokenRequest(
      provider, tokenEndpoint: endpoint,
      grant: [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], at: now)
    {
    case .success(let answer): response = answer
    case .failure(.clientAuthentication):
      return .failure(.refreshFailed("client authentication unavailable"))
    case .failure(.unreachable): return .failure(.refreshFailed("provider unreachable"))
    }
    guard response.status == 200,
      let object = try? JSONSerialization.jsonObject(with: Data(response.body))
        as? [String: Any],
      let tokens = UpstreamTokenResponse(json: object)
    else { return .failure(.refreshFailed("refused (HTTP \(response.status))")) }
    return .success(UpstreamTokenSet(tokens, at: now, keeping: set))
  }
}
