import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Synchronization

/// Hands out the active signing key and the published key set, cached in memory and re-read from
/// the store at most every `refreshInterval` so that a rotation done by the CLI on the same
/// database takes effect without a restart.
final class SigningKeyProvider: Sendable {
  struct Snapshot: Sendable {
    let active: SigningKey
    let jwks: JWKS
    /// The `jwks_uri` answer: `jwks` encoded and its headers built once per reload, so a
    /// request neither encodes nor copies.
    let jwksResponse: Responses.PreparedJSON
    /// Secret for deriving refresh-token successors (see `RefreshTokenGrant`), from the active
    /// key's private key so it lives only in the 0600 database.
    let rotationKey: [UInt8]
    let loadedAt: Date
  }

  let store: any SigningKeyStore
  /// Where the first key's generation is recorded (nil: not audited).
  let audit: (any AuditLog)?
  let algorithm: JWSAlgorithm
  let clock: any WallClock
  let refreshInterval: TimeInterval
  private let snapshot = Mutex<Snapshot?>(nil)

  init(
    store: any SigningKeyStore, algorithm: JWSAlgorithm, clock: any WallClock,
    audit: (any AuditLog)? = nil, refreshInterval: TimeInterval = 5
  ) {
    self.store = store
    self.audit = audit
    self.algorithm = algorithm
    self.clock = clock
    self.refreshInterval = refreshInterval
  }

  /// The current snapshot, reloading when stale.
  func current() async throws -> Snapshot {
    let now = clock.now()
    if let cached = snapshot.withLock({ $0 }),
      now.timeIntervalSince(cached.loadedAt) < refreshInterval,
      now >= cached.loadedAt
    {
      return cached
    }
    return try await reload()
  }

  /// Reads the keys; generates and stores the first active key when there is none.
  @discardableResult
  func reload() async throws -> Snapshot {
    let now = clock.now()
    var records = try await store.signingKeys()
    if !records.contains(where: { $0.state == .active }) {
      let key = try SigningKey.generate(algorithm)
      let candidate = SigningKeyRecord(
        kid: key.keyID, algorithm: algorithm.rawValue, privateKeyPEM: try key.privateKeyPEM(),
        state: .active, createdAt: now)
      let active = try await store.activeKeyInsertingIfNone(candidate)
      if active.kid == candidate.kid {
        try await audit?.appendAudit(
          AuditEvent(
            time: now, type: "key.generated", outcome: .success,
            detail: "kid=\(candidate.kid) alg=\(candidate.algorithm)"))
      }
      records = try await store.signingKeys()
    }
    guard let activeRecord = records.first(where: { $0.state == .active }),
      let activeAlgorithm = JWSAlgorithm(rawValue: activeRecord.algorithm)
    else { throw StoreError.corrupt("no usable active signing key") }
    let active = try SigningKey(
      privateKeyPEM: activeRecord.privateKeyPEM, algorithm: activeAlgorithm)
    var published: [JWK] = [active.publicKey.jwk]
    for record in records where record.state == .published {
      guard let algorithm = JWSAlgorithm(rawValue: record.algorithm),
        let key = try? SigningKey(privateKeyPEM: record.privateKeyPEM, algorithm: algorithm)
      else { continue }
      published.append(key.publicKey.jwk)
    }
    let rotationKey = Digest.sha256("latchkey/refresh-rotation/v1\n" + activeRecord.privateKeyPEM)
    let jwks = JWKS(keys: published)
    let fresh = Snapshot(
      active: active, jwks: jwks,
      jwksResponse: Responses.PreparedJSON(
        encoded: try Responses.encoder.encode(jwks),
        extraHeaders: [.cacheControl: "public, max-age=60", .accessControlAllowOrigin: "*"]),
      rotationKey: rotationKey, loadedAt: now)
    snapshot.withLock { $0 = fresh }
    return fresh
  }
}
