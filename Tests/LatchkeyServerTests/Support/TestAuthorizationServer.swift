import Foundation
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyServer
import LatchkeyTestSupport
import Logging

/// The real Latchkey application (`buildApplication`) on an `InMemoryStore` and a `FixedClock`,
/// seeded with one user, one public client with a loopback redirect URI, and one resource
/// offering `notes:read` and `notes:write`. Tests drive it through `run { browser in … }`.
struct TestAuthorizationServer: Sendable {
  static let defaultIssuer = "https://auth.example.com"
  static let username = "alice"
  static let password = "correct horse battery staple"
  static let userID = "user-alice"
  static let clientID = "test-client"
  static let clientName = "Test Client"
  static let redirectURI = "http://127.0.0.1:51234/callback"
  static let resourceURL = "https://mcp.example.com/mcp"
  static let readDescription = "Read your notes"
  static let writeDescription = "Create and change your notes"

  var configuration: ServerConfiguration
  let store: any LatchkeyStore
  let clock: FixedClock
  let hasher = ScryptPasswordHasher(parameters: .testing)
  /// Answers outbound fetches (client ID metadata documents).
  let fetcher = StubHTTPFetcher()

  var issuer: String { configuration.issuer }

  init(
    issuer: String = defaultIssuer, consent: ConsentPolicy = .init(),
    store: any LatchkeyStore = InMemoryStore()
  ) async throws {
    LeakScan.bootstrapLogging()
    LeakScan.record([Self.password])
    configuration = ServerConfiguration(
      issuer: issuer,
      resources: [
        ResourceConfiguration(
          url: Self.resourceURL, name: "Notes",
          scopes: [
            ScopeDefinition(name: "notes:read", description: Self.readDescription),
            ScopeDefinition(name: "notes:write", description: Self.writeDescription),
          ], defaultScopes: ["notes:read"])
      ], consent: consent, passwordHashLogN: 4)
    self.store = store
    clock = FixedClock(Fixtures.epoch)
    try await addUser(id: Self.userID, username: Self.username, password: Self.password)
    try await store.insertClient(
      Client(
        id: Self.clientID, name: Self.clientName, origin: .preregistered,
        redirectURIs: [Self.redirectURI], createdAt: clock.now()))
  }

  func addUser(id: String, username: String, password: String, disabled: Bool = false)
    async throws
  {
    try await store.insertUser(
      User(
        id: id, username: username, passwordHash: try hasher.hash(password), disabled: disabled,
        createdAt: clock.now()))
  }

  /// Builds the application and runs `body` with a fresh cookie-keeping browser.
  /// `.router` runs in-process; `.live` serves on a real loopback socket (ephemeral port).
  func run<Value: Sendable>(
    _ setup: TestingSetup = .router, logger: Logger = Logger(label: "latchkey"),
    fetcher: (any HTTPFetcher)? = nil,
    _ body: @Sendable (TestBrowser) async throws -> Value
  ) async throws -> Value {
    var configuration = configuration
    configuration.port = 0
    let app = try await buildApplication(
      configuration: configuration, store: store, clock: clock, fetcher: fetcher ?? self.fetcher,
      logger: logger)
    return try await app.test(setup) { client in
      try await body(TestBrowser(client: client))
    }
  }

  /// Every grant ever created, revoked or not: "nothing was issued" means this is empty.
  func allGrants() async throws -> [Grant] {
    try await store.grants(matching: GrantFilter(includeRevoked: true))
  }

  func auditEvents(type: String) async throws -> [AuditEvent] {
    try await store.auditEvents(matching: AuditQuery(type: type))
  }
}
