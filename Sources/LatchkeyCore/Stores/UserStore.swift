/// Resource owners.
public protocol UserStore: Sendable {
  /// Adds a user; `StoreError.conflict` when the id or username is taken.
  func insertUser(_ user: User) async throws
  func user(id: String) async throws -> User?
  func user(username: String) async throws -> User?
  func users() async throws -> [User]
  /// `StoreError.notFound` when the user does not exist.
  func updateUser(_ user: User) async throws
  /// Deletes a user with their codes, grants, tokens and consents.
  func deleteUser(id: String) async throws
}
