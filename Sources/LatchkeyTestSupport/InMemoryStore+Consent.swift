public import Foundation
public import LatchkeyCore

extension InMemoryStore {
  public func consent(userID: String, clientID: String, resource: String) async throws -> Consent? {
    state.withLock { $0.consents[Self.consentKey(userID, clientID, resource)] }
  }

  public func approveConsent(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at time: Date
  ) async throws -> Consent {
    state.withLock { s in
      let key = Self.consentKey(userID, clientID, resource)
      var consent =
        s.consents[key]
        ?? Consent(
          userID: userID, clientID: clientID, resource: resource, scopes: .empty, grantedAt: time,
          updatedAt: time)
      consent.scopes = consent.scopes.union(scopes)
      consent.updatedAt = time
      s.consents[key] = consent
      return consent
    }
  }

  public func consents(userID: String) async throws -> [Consent] {
    state.withLock { s in
      s.consents.values.filter { $0.userID == userID }
        .sorted { ($0.clientID, $0.resource) < ($1.clientID, $1.resource) }
    }
  }

  public func revokeConsent(userID: String, clientID: String, resource: String) async throws
    -> Bool
  {
    state.withLock {
      $0.consents.removeValue(forKey: Self.consentKey(userID, clientID, resource)) != nil
    }
  }

  public func signingKeys() async throws -> [SigningKeyRecord] {
    try checkFault("signingKeys")
    return state.withLock { $0.keys.sorted { ($0.createdAt, $0.kid) < ($1.createdAt, $1.kid) } }
  }

  public func activeKeyInsertingIfNone(_ candidate: SigningKeyRecord) async throws
    -> SigningKeyRecord
  {
    state.withLock { s in
      if let active = s.keys.first(where: { $0.state == .active }) { return active }
      var key = candidate
      key.state = .active
      s.keys.append(key)
      return key
    }
  }

  public func rotateSigningKey(to key: SigningKeyRecord, at time: Date) async throws {
    try state.withLock { s in
      guard !s.keys.contains(where: { $0.kid == key.kid }) else { throw StoreError.conflict("key") }
      for index in s.keys.indices where s.keys[index].state == .active {
        s.keys[index].state = .published
        s.keys[index].deactivatedAt = time
      }
      var active = key
      active.state = .active
      s.keys.append(active)
    }
  }

  public func setSigningKeyState(kid: String, to state: SigningKeyState, at time: Date)
    async throws
  {
    try self.state.withLock { s in
      guard let index = s.keys.firstIndex(where: { $0.kid == kid }) else {
        throw StoreError.notFound("key")
      }
      s.keys[index].state = state
      if state != .active, s.keys[index].deactivatedAt == nil { s.keys[index].deactivatedAt = time }
      if state == .retired { s.keys[index].retiredAt = time }
    }
  }

  @discardableResult
  public func appendAudit(_ event: AuditEvent) async throws -> Int64 {
    state.withLock { s in s.appendAudit(event) }
  }

  public func auditEvents(matching query: AuditQuery) async throws -> [AuditEvent] {
    state.withLock { s in
      let matching = s.audit.filter(query.matches)
      return Array((query.newestFirst ? matching.reversed() : matching).prefix(query.limit))
    }
  }

  public func pruneAudit(before time: Date) async throws -> Int {
    state.withLock { s in
      let before = s.audit.count
      s.audit.removeAll { $0.time < time }
      return before - s.audit.count
    }
  }
}
