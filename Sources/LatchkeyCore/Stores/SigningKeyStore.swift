public import Foundation

/// Signing keys and their states.
public protocol SigningKeyStore: Sendable {
  func signingKeys() async throws -> [SigningKeyRecord]
  /// Stores `candidate` as the active key unless an active key exists; returns the active key
  /// either way. Safe when two processes start at once.
  func activeKeyInsertingIfNone(_ candidate: SigningKeyRecord) async throws -> SigningKeyRecord
  /// Stores `key` as the new active key and moves the previous active key to `published`,
  /// atomically.
  func rotateSigningKey(to key: SigningKeyRecord, at time: Date) async throws
  /// Sets a key's state (e.g. retire a published key); `StoreError.notFound` when absent.
  func setSigningKeyState(kid: String, to state: SigningKeyState, at time: Date) async throws
}
