import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import MetricsTestKit
import NIOCore
import Testing

@testable import LatchkeyServer

/// Drives the real application (`buildApplication`) on an in-memory store and a fixed clock,
/// seeding codes directly so token-endpoint rules are tested without the browser pages.
struct EndpointHarness {
  static let issuer = "http://127.0.0.1:9999"
  static let resource = Fixtures.resourceURL
  static let redirect = "http://127.0.0.1/callback"
  static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

  let store = InMemoryStore()
  let clock = FixedClock(Fixtures.epoch)
  /// Answers outbound fetches (client JWK Sets, metadata documents).
  let fetcher = StubHTTPFetcher()
  /// Every metric the application records (docs/metrics.md).
  let metrics = TestMetrics()
  var configuration = ServerConfiguration(
    issuer: issuer,
    resources: [
      ResourceConfiguration(
        url: resource, name: "Notes",
        scopes: [
          ScopeDefinition(name: "notes:read", description: "Read your notes"),
          ScopeDefinition(name: "notes:write", description: "Change your notes"),
        ], defaultScopes: ["notes:read"])
    ], passwordHashLogN: 4)

  init() { LeakScan.bootstrapLogging() }

  /// Runs `body` against the in-process router.
  func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws
  {
    let app = try await buildApplication(
      configuration: configuration, store: store, clock: clock, fetcher: fetcher,
      metricsFactory: metrics)
    try await app.test(.router) { client in try await body(client) }
  }

  func seedUser(_ id: String = "u1") async throws {
    try await store.insertUser(Fixtures.user(id: id, at: clock.now()))
  }

  @discardableResult
  func seedPublicClient(_ id: String = "public-client") async throws -> Client {
    let client = Client(
      id: id, name: "Public", origin: .preregistered, redirectURIs: [Self.redirect],
      createdAt: clock.now())
    try await store.insertClient(client)
    return client
  }

  @discardableResult
  func seedConfidentialClient(_ id: String = "confidential", secret: String) async throws -> Client
  {
    let client = Client(
      id: id, name: "Confidential", origin: .preregistered, redirectURIs: [Self.redirect],
      tokenEndpointAuthMethod: .clientSecretBasic, applicationType: .web,
      secretHash: SecretHash.of(secret), createdAt: clock.now())
    try await store.insertClient(client)
    return client
  }

  /// Stores a code as `/authorize` would and returns its value.
  func seedCode(
    clientID: String = "public-client", userID: String = "u1",
    scopes: ScopeSet = ScopeSet(["notes:read"]), redirectURIWasExplicit: Bool = true
  ) async throws -> (code: String, grantID: String) {
    let now = clock.now()
    let value = SecureRandom.token()
    let grant = Grant(
      id: Fixtures.randomID("grant"), userID: userID, clientID: clientID, resource: Self.resource,
      scopes: scopes, createdAt: now, expiresAt: now.addingTimeInterval(90 * 86_400))
    let code = AuthorizationCode(
      codeHash: SecretHash.of(value), grantID: grant.id, clientID: clientID, userID: userID,
      resource: Self.resource, scopes: scopes, redirectURI: Self.redirect,
      redirectURIWasExplicit: redirectURIWasExplicit,
      codeChallenge: PKCE.s256Challenge(verifier: Self.verifier), issuedAt: now,
      expiresAt: now.addingTimeInterval(60))
    try await store.issueCode(code, grant: grant)
    return (value, grant.id)
  }

  /// Every grant, revoked or not.
  func allGrants() async throws -> [Grant] {
    try await store.grants(matching: GrantFilter(includeRevoked: true))
  }
}

/// Form and JSON helpers for requests.
enum Wire {
  static func form(_ pairs: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: FormEncoding.encode(pairs))
  }

  static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

  static func basic(_ id: String, _ secret: String) -> String {
    "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
  }

  static func json(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(response.body.readableBytesView)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func errorCode(_ response: TestResponse) throws -> String? {
    try json(response)["error"] as? String
  }

  static func tokenRequest(code: String, clientID: String = "public-client") -> [(String, String)] {
    [
      ("grant_type", "authorization_code"), ("code", code),
      ("code_verifier", EndpointHarness.verifier),
      ("redirect_uri", EndpointHarness.redirect), ("client_id", clientID),
      ("resource", EndpointHarness.resource),
    ]
  }
}

extension TestClientProtocol {
  func postForm(_ path: String, _ pairs: [(String, String)], headers: HTTPFields = [:]) async throws
    -> TestResponse
  {
    var all = Wire.formHeaders
    all.append(contentsOf: headers)
    let response = try await execute(
      uri: path, method: .post, headers: all, body: Wire.form(pairs))
    LeakScan.observe(
      requestHeaders: all.map { ($0.name.rawName, $0.value) },
      requestBody: String(buffer: Wire.form(pairs)), status: Int(response.status.code),
      responseHeaders: response.headers.map { ($0.name.rawName, $0.value) },
      responseBody: Array(response.body.readableBytesView))
    return response
  }
}
