import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE
import NIOCore

/// Registration caps (RFC 7591 §5 leaves abuse limits to the server), per process on SQLite,
/// across instances on PostgreSQL.
struct RegistrationLimits: Sendable {
  let global: RateLimiter
  let perSource: RateLimiter

  init(policy: RegistrationPolicy, state: any EphemeralStateStore) {
    global = RateLimiter(state: state, name: "register.global", limit: policy.perMinuteGlobal)
    perSource = RateLimiter(
      state: state, name: "register.source", limit: policy.perMinutePerSource)
  }
}

extension AuthorizationServer {
  /// `POST /register`: RFC 7591 dynamic client registration.
  ///
  /// Public clients (`none`) registering metadata identical to an earlier registration get the
  /// earlier client back (idempotent), so retries and restarts of MCP clients do not grow the
  /// table. Confidential clients always get a new client and a secret shown once, stored hashed,
  /// which does not expire (`client_secret_expires_at: 0`).
  func register(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    let now = clock.now()
    let source = context.sourceAddress ?? "unknown"
    guard configuration.registration.dynamicRegistrationEnabled else {
      metrics.recordRegistrationRejection(reason: "disabled")
      return Responses.oauthError(
        OAuthError(.accessDenied, "Dynamic client registration is disabled."))
    }
    do {
      var retry = try await limits.perSource.acquire(source, at: now)
      if retry == nil { retry = try await limits.global.acquire("*", at: now) }
      if let retry {
        metrics.recordRegistrationRejection(reason: "rate_limited")
        return Responses.json(
          OAuthErrorBody(error: "slow_down", errorDescription: "Too many registrations."),
          status: .tooManyRequests, extraHeaders: [.retryAfter: String(retry)])
      }
      let metadata: ClientMetadata
      let decoded: Result<ClientMetadata, OAuthError> = await readJSON(request, context: context)
      switch decoded {
      case .success(let decoded): metadata = decoded
      case .failure(let error):
        metrics.recordRegistrationRejection(reason: error.code.rawValue)
        return Responses.oauthError(error)
      }
      let validated: ValidatedClientMetadata
      switch ClientMetadataRule.validate(
        redirectURIs: metadata.redirectURIs, clientName: metadata.clientName,
        tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod, grantTypes: metadata.grantTypes,
        responseTypes: metadata.responseTypes, applicationType: metadata.applicationType,
        scope: metadata.scope, clientURI: metadata.clientURI, logoURI: metadata.logoURI,
        policyURI: metadata.policyURI, tosURI: metadata.tosURI, softwareID: metadata.softwareID,
        softwareVersion: metadata.softwareVersion, offeredScopes: try await offeredScopes())
      {
      case .success(let value): validated = value
      case .failure(let error):
        metrics.recordRegistrationRejection(reason: error.code.rawValue)
        await audit(
          AuditEvent(
            time: now, type: "client.registration_refused", outcome: .failure,
            sourceAddress: source, detail: error.code.rawValue))
        return Responses.oauthError(error)
      }
      let fingerprint = Self.fingerprint(validated, metadata: metadata)
      if !validated.tokenEndpointAuthMethod.isConfidential,
        let existing = try await store.client(metadataFingerprint: fingerprint)
      {
        return Responses.json(Self.information(existing, secret: nil), status: .created)
      }
      var secret: String?
      if validated.tokenEndpointAuthMethod.isConfidential { secret = SecureRandom.token() }
      let client = Client(
        id: "lk_" + SecureRandom.token(byteCount: 18), name: validated.name, origin: .dynamic,
        redirectURIs: validated.redirectURIs, grantTypes: validated.grantTypes,
        tokenEndpointAuthMethod: validated.tokenEndpointAuthMethod,
        applicationType: validated.applicationType, allowedScopes: validated.allowedScopes,
        secretHash: secret.map(SecretHash.of), softwareID: metadata.softwareID,
        softwareVersion: metadata.softwareVersion,
        metadataFingerprint: validated.tokenEndpointAuthMethod.isConfidential ? nil : fingerprint,
        clientURI: validated.clientURI, logoURI: validated.logoURI, createdAt: now)
      do {
        try await store.insertClient(client)
      } catch StoreError.conflict where client.metadataFingerprint != nil {
        // An identical registration running at the same moment won: answer with its client.
        guard let winner = try await store.client(metadataFingerprint: fingerprint) else {
          throw StoreError.conflict("client")
        }
        return Responses.json(Self.information(winner, secret: nil), status: .created)
      }
      await audit(
        AuditEvent(
          time: now, type: "client.registered", outcome: .success, clientID: client.id,
          sourceAddress: source, detail: client.tokenEndpointAuthMethod.rawValue))
      return Responses.json(Self.information(client, secret: secret), status: .created)
    } catch {
      return Responses.oauthError(unexpected(error, in: "registration"))
    }
  }

  /// Reads a JSON object body; anything else, or an object naming a member twice
  /// (`JSONDuplicateMemberRule`), is `invalid_client_metadata` (RFC 7591 §3.2.2).
  func readJSON<T: Decodable>(_ request: Request, context: LatchkeyRequestContext) async -> Result<
    T, OAuthError
  > {
    let contentType = request.headers[.contentType]?.lowercased() ?? ""
    guard contentType.hasPrefix("application/json") else {
      return .failure(OAuthError(.invalidClientMetadata, "The body must be application/json."))
    }
    guard let buffer = try? await request.body.collect(upTo: context.maxUploadSize) else {
      return .failure(OAuthError(.invalidClientMetadata, "The request body is too large."))
    }
    if JSONDuplicateMemberRule.firstDuplicate(in: buffer.readableBytesView) != nil {
      return .failure(
        OAuthError(.invalidClientMetadata, "The body names a member more than once."))
    }
    guard let value = try? JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView)) else {
      return .failure(
        OAuthError(.invalidClientMetadata, "The body is not valid client metadata JSON."))
    }
    return .success(value)
  }

  /// Every scope a client may ask for here: the registered resources' scopes and
  /// `offline_access` (the same list as the metadata's `scopes_supported`).
  func offeredScopes() async throws -> ScopeSet {
    ScopeSet(try await store.resources().flatMap { $0.scopes.map(\.name) })
      .union(ScopeRule.offlineAccess)
  }

  /// SHA-256 over the normalized metadata and the software identity.
  static func fingerprint(_ validated: ValidatedClientMetadata, metadata: ClientMetadata) -> String
  {
    let parts: [String] = [
      validated.redirectURIs.joined(separator: "\u{1}"), validated.name,
      validated.tokenEndpointAuthMethod.rawValue,
      validated.grantTypes.map(\.rawValue).sorted().joined(separator: " "),
      validated.applicationType.rawValue, validated.allowedScopes.parameter,
      validated.clientURI ?? "", validated.logoURI ?? "", metadata.softwareID ?? "",
      metadata.softwareVersion ?? "",
    ]
    return SecretHash.of(parts.joined(separator: "\u{0}"))
  }

  static func information(_ client: Client, secret: String?) -> ClientInformationResponse {
    ClientInformationResponse(
      clientID: client.id, clientIDIssuedAt: Int64(client.createdAt.timeIntervalSince1970),
      clientSecret: secret,
      clientSecretExpiresAt: client.tokenEndpointAuthMethod.isConfidential ? 0 : nil,
      redirectURIs: client.redirectURIs, clientName: client.name,
      tokenEndpointAuthMethod: client.tokenEndpointAuthMethod.rawValue,
      grantTypes: client.grantTypes.map(\.rawValue),
      responseTypes: ["code"], applicationType: client.applicationType.rawValue,
      scope: client.allowedScopes.isEmpty ? nil : client.allowedScopes.parameter,
      softwareID: client.softwareID, softwareVersion: client.softwareVersion)
  }
}
