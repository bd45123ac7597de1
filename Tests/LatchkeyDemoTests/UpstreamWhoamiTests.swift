import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyTestSupport
import MCP
import Synchronization
import Testing

@testable import LatchkeyCommands
@testable import LatchkeyDemo

/// `upstream_whoami` (docs/demo.md, "The upstream token"): a notes server with an upstream
/// token source, on a real socket behind the real middleware and the swift-sdk glue, with real
/// Latchkey tokens from an in-process demo. The source and the provider are stand-ins (the
/// end-to-end run in scripts/e2e-idp uses the real token vault and a real provider): the source
/// records the bearer token it was handed, the provider records the `Authorization` it got.
/// Serialized: each case starts a demo and a notes server on probed ports, and five at once
/// (the refusal table) made port races likely under a loaded CI machine.
@Suite("Demo: upstream_whoami", .serialized)
struct UpstreamWhoamiTests {
  static let upstreamToken = "gho_upstream-token-of-alice"
  static let issuer = "http://idp.test"
  static let userinfo = "http://idp.test/userinfo"

  @Test func answersTheProvidersSubjectAndEmailWithTheUpstreamTokenNeverTheToken() async throws {
    try await Self.withNotesServer { url, token, source, provider in
      let client = try await Self.mcpClient(url, token: token)
      let tools = try await client.listTools().tools.map(\.name)
      #expect(tools == ["list_notes", "read_note", "add_note", "delete_note", "upstream_whoami"])

      let result = try await client.callTool(name: "upstream_whoami")
      #expect(result.isError != true)
      #expect(
        DemoHarness.text(result)
          == #"{"email":"alice@corp.example","provider":"corp","sub":"alice-at-corp"}"#)
      #expect(!DemoHarness.text(result).contains(Self.upstreamToken))
      // The glue handed the tool handler this request's Latchkey token, and the provider got
      // its own token, never Latchkey's.
      #expect(source.bearers == [token])
      #expect(provider.authorizations(Self.userinfo) == ["Bearer \(Self.upstreamToken)"])
      await client.disconnect()
    }
  }

  @Test(arguments: [
    (UpstreamTokenUnavailable.noUpstreamToken, "UpstreamTokenUnavailable (no_upstream_token"),
    (.refreshFailed, "UpstreamTokenUnavailable (refresh_failed"),
    (.unreadable, "UpstreamTokenUnavailable (unreadable"),
    (.authorizationServerUnavailable, "UpstreamTokenUnavailable (unavailable"),
    (.inactiveToken, "UpstreamTokenUnavailable (inactive_token"),
  ])
  func withoutAnUpstreamTokenTheToolErrorSaysWhy(
    reason: UpstreamTokenUnavailable, expected: String
  ) async throws {
    try await Self.withNotesServer(refusal: reason) { url, token, _, provider in
      let client = try await Self.mcpClient(url, token: token)
      let result = try await client.callTool(name: "upstream_whoami")
      #expect(result.isError == true)
      #expect(DemoHarness.text(result).hasPrefix(expected), "\(DemoHarness.text(result))")
      #expect(provider.authorizations(Self.userinfo).isEmpty)
      await client.disconnect()
    }
  }

  @Test func aRefusedUpstreamTokenIsAToolErrorWithTheStatusOnly() async throws {
    try await Self.withNotesServer(userinfoStatus: 401) { url, token, _, _ in
      let client = try await Self.mcpClient(url, token: token)
      let result = try await client.callTool(name: "upstream_whoami")
      #expect(result.isError == true)
      #expect(DemoHarness.text(result) == "Provider corp answered HTTP 401.")
      await client.disconnect()
    }
  }

  @Test func gitHubProfilesComeFromGETUserWithTheNumericID() async throws {
    let provider = RecordingFetcher()
    provider.set(
      "https://ghe.test/api/v3/user",
      status: 200, #"{"id":4242,"login":"alice","email":"alice@corp.example"}"#)
    let whoami = UpstreamWhoami(
      upstream: NotesUpstream(
        tokens: FixedUpstreamTokenSource(provider: "ghe"),
        profiles: ["ghe": .gitHub(api: "https://ghe.test/api/v3")], fetcher: provider))
    var identity = VerifiedIdentity(
      subject: "alice", clientID: "c", scopes: ScopeSet(["notes:read"]), audience: [],
      tokenID: nil, issuer: nil, expiresAt: Date().addingTimeInterval(60))
    identity.upstream = UpstreamTokenAccessor(
      source: FixedUpstreamTokenSource(provider: "ghe"), bearer: "latchkey-token")
    let result = await whoami.call(identity: identity)
    #expect(result.isError != true)
    #expect(
      DemoHarness.text((result.content, result.isError))
        == #"{"email":"alice@corp.example","provider":"ghe","sub":"4242"}"#)
    #expect(
      provider.headers("https://ghe.test/api/v3/user")?["accept"] == "application/vnd.github+json")
  }

  @Test func profileAnswersWithoutASubjectAreRefused() {
    let openID = UpstreamProfileAPI.openID(issuer: Self.issuer)
    #expect(
      UpstreamProfile.parse(Array(#"{"email":"a@b"}"#.utf8), api: openID, provider: "p") == nil)
    #expect(UpstreamProfile.parse(Array(#"{"sub":""}"#.utf8), api: openID, provider: "p") == nil)
    #expect(UpstreamProfile.parse(Array("[]".utf8), api: openID, provider: "p") == nil)
    #expect(
      UpstreamProfile.parse(
        Array(#"{"id":"4242"}"#.utf8), api: .gitHub(api: "https://x"), provider: "p") == nil)
    #expect(
      UpstreamProfile.parse(Array(#"{"sub":"s"}"#.utf8), api: openID, provider: "p")
        == UpstreamProfile(provider: "p", sub: "s", email: nil))
  }

  // MARK: - harness

  /// A notes server with `upstream_whoami` on a free port, registered as a resource at an
  /// in-process demo, and a Latchkey access token for it (password sign-in of the demo user).
  static func withNotesServer(
    refusal: UpstreamTokenUnavailable? = nil, userinfoStatus: Int = 200,
    _ body:
      @Sendable (String, String, FixedUpstreamTokenSource, RecordingFetcher) async throws ->
      Void
  ) async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let provider = RecordingFetcher()
      provider.set(
        issuer + "/.well-known/openid-configuration", status: 200,
        #"{"issuer":"\#(issuer)","userinfo_endpoint":"\#(userinfo)"}"#)
      provider.set(
        userinfo, status: userinfoStatus,
        #"{"sub":"alice-at-corp","email":"alice@corp.example","name":"Alice"}"#)
      let source = FixedUpstreamTokenSource(provider: "corp", refusal: refusal)
      let (url, server) = try await startNotesServer(
        runtime,
        upstream: NotesUpstream(
          tokens: source, profiles: ["corp": .openID(issuer: issuer)], fetcher: provider))
      defer { server.cancel() }
      let http = TestHTTPClient()
      let client = OAuthTestClient(http: http)
      let discovery = try await client.discover(mcpURL: url)
      let clientID = try await client.register(discovery)
      let authorization = try await client.authorize(
        discovery, clientID: clientID, scope: "notes:read", username: DemoHarness.username,
        password: DemoHarness.password)
      let tokens = try await client.exchange(
        authorization, discovery: discovery, clientID: clientID)
      LeakScan.record([tokens.accessToken, upstreamToken])
      try await body(url, tokens.accessToken, source, provider)
      server.cancel()
      _ = await server.result
    }
  }

  /// The notes server with `upstream` on a free port, registered at `runtime`. A port probed
  /// free can be taken by a server of a test running in parallel before this one binds it, so
  /// the server counts as ours only once its metadata names this demo; else another port.
  static func startNotesServer(_ runtime: DemoRuntime, upstream: NotesUpstream) async throws
    -> (String, Task<Void, any Error>)
  {
    let http = TestHTTPClient()
    for _ in 0..<5 {
      let port = try #require(try await FreePort.probe(host: "127.0.0.1", port: 0))
      let url = "http://127.0.0.1:\(port)/mcp"
      try await runtime.store.upsertResource(DemoResource.configuration(url: url).resource)
      let keys = JWKSKeySource(
        issuer: runtime.issuerURL, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true),
        logger: DemoHarness.quietLogger)
      let notes = try buildNotesApplication(
        configuration: NotesConfiguration(port: port, resource: url, issuer: runtime.issuerURL),
        verifier: JWTAccessTokenVerifier(
          issuer: runtime.issuerURL, resource: url, keySource: keys),
        logger: DemoHarness.quietLogger, upstream: upstream)
      let server = Task { try await notes.runService(gracefulShutdownSignals: []) }
      let metadataURL = "http://127.0.0.1:\(port)/.well-known/oauth-protected-resource/mcp"
      // Any failure here (the port answered by another test's server, or with an empty
      // reply while that one shuts down) means "not ours": try another port.
      try? await ClientProfileProxyTests.waitUntilServing(metadataURL, http)
      let answer = try? await http.get(metadataURL)
      let metadata = answer.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body)) }
      let servers = (metadata as? [String: Any])?["authorization_servers"] as? [String]
      if servers == [runtime.issuerURL] { return (url, server) }
      server.cancel()
      _ = await server.result
    }
    throw OAuthTestError.tooManySteps
  }

  static func mcpClient(_ url: String, token: String) async throws -> MCP.Client {
    let transport = HTTPClientTransport(
      endpoint: try #require(URL(string: url)), streaming: false,
      requestModifier: { request in
        var request = request
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
      })
    let client = MCP.Client(name: "upstream-whoami-test", version: "1.0.0")
    _ = try await client.connect(transport: transport)
    return client
  }
}

/// An upstream token source that answers `UpstreamWhoamiTests.upstreamToken` (or `refusal`)
/// and records the Latchkey bearer tokens it was asked about.
final class FixedUpstreamTokenSource: UpstreamTokenSource {
  let provider: String
  let refusal: UpstreamTokenUnavailable?
  private let asked = Mutex<[String]>([])

  init(provider: String, refusal: UpstreamTokenUnavailable? = nil) {
    self.provider = provider
    self.refusal = refusal
  }

  var bearers: [String] { asked.withLock { $0 } }

  func upstreamToken(bearer: String, identity: VerifiedIdentity)
    async throws(UpstreamTokenUnavailable) -> UpstreamAccessToken
  {
    asked.withLock { $0.append(bearer) }
    if let refusal { throw refusal }
    return UpstreamAccessToken(provider: provider, accessToken: UpstreamWhoamiTests.upstreamToken)
  }
}

/// The provider: answers from a table and records each request's headers.
final class RecordingFetcher: HTTPFetcher {
  private let answers = Mutex<[String: HTTPFetchResponse]>([:])
  private let requests = Mutex<[(String, [String: String])]>([])

  func set(_ url: String, status: Int, _ body: String) {
    answers.withLock {
      $0[url] = HTTPFetchResponse(
        status: status, headers: ["content-type": "application/json"], body: Array(body.utf8))
    }
  }

  func authorizations(_ url: String) -> [String] {
    requests.withLock { $0.filter { $0.0 == url }.compactMap { $0.1["authorization"] } }
  }

  func headers(_ url: String) -> [String: String]? {
    requests.withLock { $0.last { $0.0 == url }?.1 }
  }

  func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse {
    try await get(url, headers: [:], maxBytes: maxBytes, timeout: timeout)
  }

  func get(_ url: URL, headers: [String: String], maxBytes: Int, timeout: TimeInterval)
    async throws -> HTTPFetchResponse
  {
    requests.withLock { $0.append((url.absoluteString, headers)) }
    guard let answer = answers.withLock({ $0[url.absoluteString] }) else {
      throw HTTPFetchError.unreachable
    }
    return answer
  }
}
