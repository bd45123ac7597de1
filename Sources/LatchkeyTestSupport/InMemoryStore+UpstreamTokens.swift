public import Foundation
public import LatchkeyCore

extension InMemoryStore {
  public func insertUpstreamToken(_ record: UpstreamTokenRecord) async throws {
    try state.withLock { s in
      guard s.users[record.userID] != nil else { throw StoreError.notFound("referenced row") }
      if let interactionID = record.interactionID {
        s.upstreamTokens = s.upstreamTokens.filter { $0.value.interactionID != interactionID }
      }
      s.upstreamTokens[record.id] = record
    }
  }

  public func attachUpstreamToken(interactionID: String, grantID: String, at time: Date)
    async throws -> Bool
  {
    state.withLock { s in
      guard s.grants[grantID] != nil,
        let record = s.upstreamTokens.values.first(where: { $0.interactionID == interactionID })
      else { return false }
      s.upstreamTokens = s.upstreamTokens.filter { $0.value.grantID != grantID }
      s.upstreamTokens[record.id]?.grantID = grantID
      s.upstreamTokens[record.id]?.interactionID = nil
      s.upstreamTokens[record.id]?.updatedAt = time
      return true
    }
  }

  public func upstreamToken(grantID: String) async throws -> UpstreamTokenRecord? {
    state.withLock { s in s.upstreamTokens.values.first { $0.grantID == grantID } }
  }

  public func updateUpstreamToken(_ record: UpstreamTokenRecord, at time: Date) async throws
    -> Bool
  {
    state.withLock { s in
      guard let stored = s.upstreamTokens[record.id], stored.version == record.version else {
        return false
      }
      var updated = stored
      updated.keyID = record.keyID
      updated.sealed = record.sealed
      updated.accessExpiresAt = record.accessExpiresAt
      updated.version = stored.version + 1
      updated.updatedAt = time
      s.upstreamTokens[record.id] = updated
      return true
    }
  }

  public func purgeUpstreamTokens(pendingCreatedBefore: Date, now: Date) async throws -> Int {
    state.withLock { s in
      let before = s.upstreamTokens.count
      s.upstreamTokens = s.upstreamTokens.filter { _, record in
        guard let grantID = record.grantID else {
          return record.createdAt >= pendingCreatedBefore
        }
        return s.grants[grantID]?.isLive(at: now) ?? false
      }
      return before - s.upstreamTokens.count
    }
  }

  public func deleteUpstreamTokens(userID: String, provider: String?) async throws -> Int {
    state.withLock { s in
      let before = s.upstreamTokens.count
      s.upstreamTokens = s.upstreamTokens.filter { _, record in
        record.userID != userID || (provider != nil && record.provider != provider)
      }
      return before - s.upstreamTokens.count
    }
  }
}
