import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Store conformance: identity provider links (`StoreConformance.checks`), issue 23.
public enum UserIdentityConformance {
  public static func linksAreFoundByProviderAndSubjectOnce(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", username: "ada", at: t0))
    let link = UserIdentity(provider: "corp", subject: "s-1", userID: "u1", createdAt: t0)
    try await store.insertUserIdentity(link)
    #expect(try await store.userIdentity(provider: "corp", subject: "s-1") == link)
    #expect(try await store.userIdentity(provider: "other", subject: "s-1") == nil)
    #expect(try await store.userIdentity(provider: "corp", subject: "S-1") == nil)
    await #expect(throws: StoreError.conflict("user identity")) {
      try await store.insertUserIdentity(
        UserIdentity(provider: "corp", subject: "s-1", userID: "u1", createdAt: t0))
    }
    let second = UserIdentity(
      provider: "github", subject: "42", userID: "u1", createdAt: t0.addingTimeInterval(1))
    try await store.insertUserIdentity(second)
    #expect(try await store.userIdentities(userID: "u1") == [link, second])
    #expect(try await store.userIdentities(userID: "nobody").isEmpty)
  }

  public static func aLinkNeedsItsUserAndDiesWithIt(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    await #expect(throws: StoreError.notFound("referenced row")) {
      try await store.insertUserIdentity(
        UserIdentity(provider: "corp", subject: "s-1", userID: "ghost", createdAt: t0))
    }
    try await store.insertUser(Fixtures.user(id: "u1", username: "ada", at: t0))
    try await store.insertUserIdentity(
      UserIdentity(provider: "corp", subject: "s-1", userID: "u1", createdAt: t0))
    try await store.deleteUser(id: "u1")
    #expect(try await store.userIdentity(provider: "corp", subject: "s-1") == nil)
    #expect(try await store.userIdentities(userID: "u1").isEmpty)
  }

  /// A link keeps the groups of the latest sign-in, in order; a group with whitespace or a
  /// control character is not kept.
  public static func aLinkKeepsTheLatestGroups(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", username: "ada", at: t0))
    try await store.insertUserIdentity(
      UserIdentity(
        provider: "corp", subject: "s-1", userID: "u1", createdAt: t0,
        groups: ["mcp-users", "two words", "ok\u{7}", "mcp-writers"]))
    #expect(
      try await store.userIdentity(provider: "corp", subject: "s-1")?.groups
        == ["mcp-users", "mcp-writers"])
    #expect(
      try await store.updateUserIdentityGroups(
        provider: "corp", subject: "s-1", groups: ["Émigrés", "mcp-users"]))
    #expect(
      try await store.userIdentity(provider: "corp", subject: "s-1")?.groups
        == ["Émigrés", "mcp-users"])
    #expect(try await store.updateUserIdentityGroups(provider: "corp", subject: "s-1", groups: []))
    #expect(try await store.userIdentities(userID: "u1").first?.groups == [])
    #expect(
      try await store.updateUserIdentityGroups(provider: "corp", subject: "nobody", groups: ["x"])
        == false)
    // Unlinking removes exactly that link, once.
    #expect(try await store.deleteUserIdentity(provider: "corp", subject: "S-1") == false)
    #expect(try await store.deleteUserIdentity(provider: "corp", subject: "s-1"))
    #expect(try await store.deleteUserIdentity(provider: "corp", subject: "s-1") == false)
    #expect(try await store.userIdentity(provider: "corp", subject: "s-1") == nil)
    #expect(try await store.user(id: "u1") != nil)
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "UserIdentityConformance.linksAreFoundByProviderAndSubjectOnce",
      linksAreFoundByProviderAndSubjectOnce(kind:)),
    StoreConformanceCheck(
      "UserIdentityConformance.aLinkNeedsItsUserAndDiesWithIt",
      aLinkNeedsItsUserAndDiesWithIt(kind:)),
    StoreConformanceCheck(
      "UserIdentityConformance.aLinkKeepsTheLatestGroups", aLinkKeepsTheLatestGroups(kind:)),
  ]
}
