public import Foundation
public import LatchkeyCore

extension InMemoryStore {
  public func issueCode(_ code: AuthorizationCode, grant: Grant) async throws {
    try state.withLock { s in
      guard s.codes[code.codeHash] == nil, s.grants[grant.id] == nil else {
        throw StoreError.conflict("code")
      }
      s.grants[grant.id] = grant
      s.codes[code.codeHash] = code
    }
  }

  public func consumeCode(hash: String, at time: Date) async throws -> CodeConsumption {
    try checkFault("consumeCode")
    return state.withLock { s in
      if let answer = CodeConsumptionRule.decide(code: s.codes[hash], now: time) { return answer }
      s.codes[hash]?.consumedAt = time
      return .consumed(s.codes[hash]!)
    }
  }

  public func redeemCode(
    hash: String, at time: Date,
    plan: @escaping @Sendable (AuthorizationCode, Grant) -> CodeRedemptionPlan
  ) async throws -> CodeRedemption {
    try checkFault("redeemCode")
    return try state.withLock { s in
      switch CodeConsumptionRule.decide(code: s.codes[hash], now: time) {
      case .alreadyUsed(let grantID): return .alreadyUsed(grantID: grantID)
      case .expired: return .expired
      case .notFound, .consumed: return .notFound
      case nil: break
      }
      var code = s.codes[hash]!
      code.consumedAt = time
      guard let grant = s.grants[code.grantID], grant.isLive(at: time) else {
        s.codes[hash] = code
        return .grantNotLive(grantID: code.grantID)
      }
      switch plan(code, grant) {
      case .refuse(let error):
        s.codes[hash] = code
        return .requestRefused(code, error: error)
      case .issue(let token, let event):
        // Everything is checked before anything changes: a throw leaves the state as it was,
        // as a rolled-back transaction does.
        if let token, s.refreshTokens[token.tokenHash] != nil {
          throw StoreError.conflict("token")
        }
        s.codes[hash] = code
        if let token { s.refreshTokens[token.tokenHash] = token }
        if let event { s.appendAudit(event) }
        return .redeemed(code, grant: grant, refreshToken: token)
      }
    }
  }

  public func deleteExpiredCodes(before time: Date) async throws -> Int {
    state.withLock { s in
      let expired = s.codes.filter { $0.value.expiresAt < time }.map(\.key)
      for key in expired { s.codes[key] = nil }
      return expired.count
    }
  }

  public func issueRefreshToken(_ token: RefreshToken) async throws -> RefreshTokenIssuance {
    try state.withLock { s in
      guard let grant = s.grants[token.grantID], grant.isLive(at: token.issuedAt) else {
        return .grantNotLive
      }
      guard s.refreshTokens[token.tokenHash] == nil else { throw StoreError.conflict("token") }
      s.refreshTokens[token.tokenHash] = token
      return .issued
    }
  }

  public func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    plan: @escaping @Sendable (RefreshToken, Grant) -> RefreshRotationPlan
  ) async throws -> RefreshRotation {
    try checkFault("rotateRefreshToken")
    return try state.withLock { s in
      let parent = s.refreshTokens[hash]
      let grant = parent.flatMap { s.grants[$0.grantID] }
      let successor = parent?.successorHash.flatMap { s.refreshTokens[$0] }
      switch RefreshRotationRule.decide(
        parent: parent, grant: grant, successor: successor, now: time, graceWindow: graceWindow)
      {
      case .refuse(let reason):
        return .refused(reason)
      case .replay:
        return .replayedWithinGrace(parent: parent!, successor: successor!, grant: grant!)
      case .revokeFamily:
        s.revokeGrant(parent!.grantID, at: time, reason: "refresh_token_reuse")
        return .reuseDetected(grantID: parent!.grantID)
      case .rotate:
        let writes: RefreshRotationWrites
        switch plan(parent!, grant!) {
        case .refuse(let error): return .requestRefused(error)
        case .rotate(let planned): writes = planned
        }
        let next = writes.successor
        guard s.refreshTokens[next.tokenHash] == nil else { throw StoreError.conflict("token") }
        s.refreshTokens[hash]?.rotatedAt = time
        s.refreshTokens[hash]?.successorHash = next.tokenHash
        s.refreshTokens[next.tokenHash] = next
        if let event = writes.event { s.appendAudit(event) }
        return .rotated(parent: s.refreshTokens[hash]!, grant: grant!, writes: writes)
      }
    }
  }

  public func refreshToken(hash: String) async throws -> RefreshToken? {
    state.withLock { $0.refreshTokens[hash] }
  }

  public func deleteExpiredRefreshTokens(before time: Date) async throws -> Int {
    state.withLock { s in
      let expired = s.refreshTokens.filter { $0.value.expiresAt < time }.map(\.key)
      for key in expired { s.refreshTokens[key] = nil }
      return expired.count
    }
  }

  public func grant(id: String) async throws -> Grant? { state.withLock { $0.grants[id] } }

  public func grants(matching filter: GrantFilter) async throws -> [Grant] {
    state.withLock { s in
      s.grants.values.filter(filter.matches).sorted {
        ($0.createdAt, $0.id) < ($1.createdAt, $1.id)
      }
    }
  }

  public func revokeGrant(id: String, at time: Date, reason: String) async throws -> Bool {
    state.withLock { $0.revokeGrant(id, at: time, reason: reason) }
  }

  public func revokeGrants(matching filter: GrantFilter, at time: Date, reason: String)
    async throws -> [String]
  {
    state.withLock { s in
      var live = filter
      live.includeRevoked = false
      let ids = s.grants.values.filter(live.matches).map(\.id).sorted()
      for id in ids { s.revokeGrant(id, at: time, reason: reason) }
      return ids
    }
  }
}

extension InMemoryStore.State {
  @discardableResult
  mutating func revokeGrant(_ id: String, at time: Date, reason: String) -> Bool {
    guard let grant = grants[id], grant.revokedAt == nil else { return false }
    grants[id]?.revokedAt = time
    grants[id]?.revocationReason = reason
    for (hash, token) in refreshTokens where token.grantID == id && token.revokedAt == nil {
      refreshTokens[hash]?.revokedAt = time
    }
    return true
  }
}
