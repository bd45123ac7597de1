import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// The confidential client the demo's notes server authenticates with at `/introspect` (RFC
/// 7662 §2.1) to check API keys. Each start gives it a fresh secret, kept in memory only (the
/// store holds its hash), so nothing outside the process can introspect with it.
enum DemoIntrospectionClient {
  static let id = "latchkey-demo-notes"

  /// Creates the client or replaces its secret; returns the new secret.
  static func ensure(store: any LatchkeyStore, now: Date) async throws -> String {
    let secret = SecureRandom.token()
    if var client = try await store.client(id: id) {
      client.secretHash = SecretHash.of(secret)
      client.tokenEndpointAuthMethod = .clientSecretBasic
      try await store.updateClient(client)
      return secret
    }
    try await store.insertClient(
      Client(
        id: id, name: "Notes resource server (latchkey demo)", origin: .preregistered,
        redirectURIs: [], grantTypes: [], tokenEndpointAuthMethod: .clientSecretBasic,
        applicationType: .web, secretHash: SecretHash.of(secret), createdAt: now))
    return secret
  }
}
