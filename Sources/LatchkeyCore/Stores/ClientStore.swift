public import Foundation

/// Registered clients: pre-registered, dynamically registered (RFC 7591) and metadata-document
/// clients.
public protocol ClientStore: Sendable {
  /// Adds a client; `StoreError.conflict` when the id is taken, or when the client carries a
  /// metadata fingerprint another client already has (checked atomically with the insert).
  func insertClient(_ client: Client) async throws
  func client(id: String) async throws -> Client?
  /// The client registered earlier with exactly this normalized metadata (idempotent DCR).
  func client(metadataFingerprint: String) async throws -> Client?
  func clients() async throws -> [Client]
  /// Replaces a client's fields; `StoreError.notFound` when it does not exist.
  func updateClient(_ client: Client) async throws
  /// Deletes a client with its codes, grants, refresh tokens and consents.
  func deleteClient(id: String) async throws
  func recordClientUse(id: String, at time: Date) async throws
  /// Deletes dynamically registered clients unused since `idleSince` that hold no live grant
  /// at `now`; returns their ids.
  func deleteIdleDynamicClients(idleSince: Date, now: Date) async throws -> [String]
}
