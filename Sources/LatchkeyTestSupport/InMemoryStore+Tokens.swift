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
      switch CodeConsumptionRule.decide(code: s.codes[hash], now: time) {
      case .refuse(let refusal): return CodeConsumption(refusal)
      case .consume(let consumed):
        s.codes[hash] = consumed
        return .consumed(consumed)
      }
    }
  }

  public func redeemCode(
    hash: String, at time: Date,
    plan: @escaping @Sendable (AuthorizationCode, Grant) -> CodeRedemptionPlan
  ) async throws -> CodeRedemption {
    try checkFault("redeemCode")
    return try state.withLock { s in
      switch CodeConsumptionRule.decide(code: s.codes[hash], now: time) {
      case .refuse(let refusal): return CodeRedemption(refusal)
      case .consume(let consumed):
        let redemption = CodeConsumptionRule.redemption(
          of: consumed, grant: s.grants[consumed.grantID], now: time, request: plan)
        // Everything is checked before anything changes: a throw leaves the state as it was,
        // as a rolled-back transaction does.
        try s.check(redemption.writes)
        s.codes[hash] = consumed
        s.execute(redemption.writes)
        return redemption.answer
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
      let rotation = RefreshRotationRule.plan(
        parent: parent, grant: parent.flatMap { s.grants[$0.grantID] },
        successor: parent?.successorHash.flatMap { s.refreshTokens[$0] }, now: time,
        graceWindow: graceWindow, request: plan)
      try s.check(rotation.writes)
      s.execute(rotation.writes)
      return rotation.answer
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
  /// What a SQL store's constraints would refuse in `writes`: a refresh token hash taken.
  func check(_ writes: TokenWrites) throws {
    if let token = writes.insertRefreshToken, refreshTokens[token.tokenHash] != nil {
      throw StoreError.conflict("token")
    }
  }

  /// Carries out a rule's writes, in the order a SQL store executes them.
  mutating func execute(_ writes: TokenWrites) {
    if let token = writes.insertRefreshToken { refreshTokens[token.tokenHash] = token }
    if let mark = writes.markRotated {
      refreshTokens[mark.tokenHash]?.rotatedAt = mark.rotatedAt
      refreshTokens[mark.tokenHash]?.successorHash = mark.successorHash
    }
    if let family = writes.revokeFamily {
      revokeGrant(family.grantID, at: family.revokedAt, reason: family.reason)
    }
    if let event = writes.appendAudit { appendAudit(event) }
  }

  @discardableResult
  mutating func revokeGrant(_ id: String, at time: Date, reason: String) -> Bool {
    guard let grant = grants[id], grant.revokedAt == nil else { return false }
    grants[id]?.revokedAt = time
    grants[id]?.revocationReason = reason
    for (hash, token) in refreshTokens where token.grantID == id && token.revokedAt == nil {
      refreshTokens[hash]?.revokedAt = time
    }
    upstreamTokens = upstreamTokens.filter { $0.value.grantID != id }
    return true
  }
}
