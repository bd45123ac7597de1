public import LatchkeyCore

/// How the conformance suite gets a backend: every check asks for a fresh, empty, migrated
/// store of its own (and, for the short-lived state checks, the `EphemeralStateStore` a server
/// would use with it).
public struct StoreFactory: Sendable, CustomStringConvertible {
  /// The backend's name in test output ("sqlite", "postgres", "my-store").
  public let name: String
  private let store: @Sendable () async throws -> any LatchkeyStore
  private let ephemeralState: @Sendable () async throws -> any EphemeralStateStore

  /// A factory named `name`. `makeEphemeralState` defaults to `InProcessEphemeralState` (one
  /// instance); a store that keeps that state itself (so several instances share it) passes
  /// its own.
  public init(
    name: String, makeStore: @escaping @Sendable () async throws -> any LatchkeyStore,
    makeEphemeralState: @escaping @Sendable () async throws -> any EphemeralStateStore = {
      InProcessEphemeralState()
    }
  ) {
    self.name = name
    self.store = makeStore
    self.ephemeralState = makeEphemeralState
  }

  /// A fresh, empty store.
  public func makeStore() async throws -> any LatchkeyStore { try await store() }

  /// Fresh short-lived state for this backend.
  public func makeEphemeralState() async throws -> any EphemeralStateStore {
    try await ephemeralState()
  }

  public var description: String { name }
}
