import Foundation
public import LatchkeyCore

extension InMemoryStore {
  public func insertUserIdentity(_ identity: UserIdentity) async throws {
    try state.withLock { s in
      guard s.users[identity.userID] != nil else {
        throw StoreError.notFound("referenced row")
      }
      guard
        !s.userIdentities.contains(where: {
          $0.provider == identity.provider && $0.subject == identity.subject
        })
      else { throw StoreError.conflict("user identity") }
      var stored = identity
      stored.groups = UserIdentity.groups(storedText: UserIdentity.storedText(identity.groups))
      s.userIdentities.append(stored)
    }
  }

  public func userIdentity(provider: String, subject: String) async throws -> UserIdentity? {
    state.withLock { s in
      s.userIdentities.first { $0.provider == provider && $0.subject == subject }
    }
  }

  public func deleteUserIdentity(provider: String, subject: String) async throws -> Bool {
    state.withLock { s in
      let before = s.userIdentities.count
      s.userIdentities.removeAll { $0.provider == provider && $0.subject == subject }
      return s.userIdentities.count < before
    }
  }

  public func updateUserIdentityGroups(provider: String, subject: String, groups: [String])
    async throws -> Bool
  {
    state.withLock { s in
      guard
        let index = s.userIdentities.firstIndex(where: {
          $0.provider == provider && $0.subject == subject
        })
      else { return false }
      s.userIdentities[index].groups = UserIdentity.groups(
        storedText: UserIdentity.storedText(groups))
      return true
    }
  }

  public func userIdentities(userID: String) async throws -> [UserIdentity] {
    state.withLock { s in
      s.userIdentities.filter { $0.userID == userID }.sorted {
        ($0.createdAt, $0.provider, $0.subject) < ($1.createdAt, $1.provider, $1.subject)
      }
    }
  }
}
