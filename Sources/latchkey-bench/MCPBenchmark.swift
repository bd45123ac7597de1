import Foundation
import HTTPTypes
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyMCP

/// The middleware's added cost per protected request, measured through
/// `ResourceServerAuthorizer.authorize` (header parsing, token verification, JSON-RPC peek,
/// scope policy): warm (token already in the verified-token cache) and cold (a fresh token:
/// one ES256 verification; also RS256 and EdDSA). One JSON line per figure with p50/p99 in
/// microseconds.
enum MCPBenchmark {
  static let issuer = "https://auth.example.com"
  static let resource = "https://mcp.example.com/mcp"

  /// Serves the issuer's metadata and JWKS from memory.
  struct InMemoryIssuer: HTTPFetcher {
    let documents: [String: [UInt8]]

    func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse {
      guard let body = documents[url.absoluteString] else { throw HTTPFetchError.unreachable }
      return HTTPFetchResponse(status: 200, headers: [:], body: body)
    }
  }

  struct SilentSink: ToolCallAuditSink {
    func record(_ record: ToolCallAuditRecord) async {}
  }

  static func run() async throws {
    let key = try SigningKey.generate(.es256)
    let configuration = try ProtectedResourceConfiguration(
      resource: resource, issuer: issuer,
      scopePolicy: ScopePolicy(
        baseScopes: ScopeSet(["notes:read"]), toolScopes: ["add_note": ScopeSet(["notes:write"])]),
      toolCallLimit: .unlimited)
    let authorizer = try Self.authorizer(for: key, configuration: configuration)
    let body = Array(
      #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add_note","arguments":{"text":"hello"}}}"#
        .utf8)

    let warmToken = try token(key)
    _ = await authorizer.authorize(method: .post, headerFields: headers(warmToken), body: body)
    let warm = try await samples(count: BenchSettings.quick ? 20_000 : 50_000) { _ in
      try await expectAllowed(
        authorizer.authorize(method: .post, headerFields: headers(warmToken), body: body))
    }
    report("middleware_warm_cache", warm)

    // An API key (issue 25 §2) through the mixed verifier, its introspection answer cached.
    let (apiKey, keyAuthorizer) = try Self.apiKeyAuthorizer(for: key, configuration: configuration)
    _ = await keyAuthorizer.authorize(method: .post, headerFields: headers(apiKey), body: body)
    let keyWarm = try await samples(count: BenchSettings.quick ? 20_000 : 50_000) { _ in
      try await expectAllowed(
        keyAuthorizer.authorize(method: .post, headerFields: headers(apiKey), body: body))
    }
    report("middleware_api_key_warm_cache", keyWarm)

    let fresh = try (0..<(BenchSettings.quick ? 1_000 : 3_000)).map { _ in try headers(token(key)) }
    let cold = try await samples(count: fresh.count) { index in
      try await expectAllowed(
        authorizer.authorize(method: .post, headerFields: fresh[index], body: body))
    }
    report("middleware_cold_verify", cold)
    // The same cold path for an issuer that signs with the other algorithms it offers.
    for (algorithm, name) in [(JWSAlgorithm.rs256, "rs256"), (.edDSA, "eddsa")] {
      let other = try SigningKey.generate(algorithm)
      let otherAuthorizer = try Self.authorizer(for: other, configuration: configuration)
      let otherFresh = try (0..<(BenchSettings.quick ? 1_000 : 3_000)).map { _ in
        try headers(token(other))
      }
      let otherCold = try await samples(count: otherFresh.count) { index in
        try await expectAllowed(
          otherAuthorizer.authorize(method: .post, headerFields: otherFresh[index], body: body))
      }
      report("middleware_cold_verify_\(name)", otherCold)
    }

    let peeks = BenchSettings.quick ? 20_000 : 50_000
    let peek = try await samples(count: peeks) { _ in
      guard case .calls = JSONRPCPeek.peek(body) else { throw NotAllowed() }
    }
    report("jsonrpc_peek", peek)
    let foundation = try await samples(count: peeks) { _ in
      guard FoundationPeek.method(body) == "tools/call" else { throw NotAllowed() }
    }
    report("jsonrpc_peek_foundation", foundation)
  }

  /// The JSON-RPC peek as it was before the one-pass scanner (JSONSerialization, then pick the
  /// members), kept to show what the scanner saves.
  enum FoundationPeek {
    static func method(_ body: [UInt8]) -> String? {
      guard
        let object = try? JSONSerialization.jsonObject(
          with: Data(body), options: [.fragmentsAllowed]) as? [String: Any],
        let method = object["method"] as? String
      else { return nil }
      if method == "tools/call", let params = object["params"] as? [String: Any] {
        _ = params["name"] as? String
      }
      return method
    }
  }

  /// An authorizer trusting only `key`'s issuer JWKS.
  static func authorizer(
    for key: SigningKey, configuration: ProtectedResourceConfiguration
  ) throws -> ResourceServerAuthorizer {
    let jwks = try JSONEncoder().encode(JWKS(keys: [key.publicKey.jwk]))
    let metadata = #"{"issuer":"\#(issuer)","jwks_uri":"\#(issuer)/jwks.json"}"#
    let fetcher = InMemoryIssuer(documents: [
      issuer + "/.well-known/oauth-authorization-server": Array(metadata.utf8),
      issuer + "/jwks.json": Array(jwks),
    ])
    let verifier = JWTAccessTokenVerifier(
      issuer: issuer, resource: resource, keySource: JWKSKeySource(issuer: issuer, fetcher: fetcher)
    )
    return ResourceServerAuthorizer(
      configuration: configuration, verifier: verifier, auditSink: SilentSink())
  }

  /// Answers every introspection request with an active API key (the AS's answer).
  struct InMemoryIntrospection: HTTPFetcher {
    let answer: [UInt8]

    func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse {
      throw HTTPFetchError.unreachable
    }

    func post(
      _ url: URL, body: [UInt8], headers: [String: String], maxBytes: Int, timeout: TimeInterval
    ) async throws -> HTTPFetchResponse {
      HTTPFetchResponse(status: 200, headers: [:], body: answer)
    }
  }

  /// An API key and an authorizer in mixed mode (`MixedAccessTokenVerifier`): JWTs offline,
  /// the key introspected once and then served from the introspection cache.
  static func apiKeyAuthorizer(
    for key: SigningKey, configuration: ProtectedResourceConfiguration
  ) throws -> (String, ResourceServerAuthorizer) {
    let jwt = try authorizer(for: key, configuration: configuration).verifier
    let (apiKey, id) = APIKeyFormat.generate()
    let exp = Int64(Date().timeIntervalSince1970) + 3600
    let answer =
      #"{"active":true,"sub":"user-1","scope":"notes:read notes:write","aud":"\#(resource)","#
      + #""iss":"\#(issuer)","exp":\#(exp),"jti":"\#(id)","token_type":"api_key","#
      + #""api_key_name":"bench"}"#
    let introspection = IntrospectionAccessTokenVerifier(
      endpoint: URL(string: issuer + "/introspect")!, clientID: "rs", clientSecret: "secret",
      issuer: issuer, resource: resource,
      fetcher: InMemoryIntrospection(answer: Array(answer.utf8)))
    let verifier = MixedAccessTokenVerifier(jwt: jwt, apiKeys: introspection)
    return (
      apiKey,
      ResourceServerAuthorizer(
        configuration: configuration, verifier: verifier, auditSink: SilentSink())
    )
  }

  static func token(_ key: SigningKey) throws -> String {
    let now = Int64(Date().timeIntervalSince1970)
    return try JWT.sign(
      JWTClaims(
        iss: issuer, sub: "user-1", aud: .one(resource), exp: now + 3600, iat: now,
        jti: SecureRandom.token(byteCount: 16), clientID: "client-1",
        scope: "notes:read notes:write"), key: key, type: "at+jwt")
  }

  static func headers(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)", .contentType: "application/json"]
  }

  struct NotAllowed: Error {}

  static func expectAllowed(_ decision: AuthorizationDecision) throws {
    guard case .allowed = decision else { throw NotAllowed() }
  }

  /// Per-call latencies in nanoseconds.
  static func samples(count: Int, _ body: (Int) async throws -> Void) async throws -> [UInt64] {
    var result: [UInt64] = []
    result.reserveCapacity(count)
    let clock = ContinuousClock()
    for index in 0..<count {
      let start = clock.now
      try await body(index)
      let elapsed = clock.now - start
      result.append(
        UInt64(elapsed.components.seconds) * 1_000_000_000
          + UInt64(elapsed.components.attoseconds / 1_000_000_000))
    }
    return result.sorted()
  }

  static func report(_ name: String, _ sorted: [UInt64]) {
    let p50 = Double(sorted[sorted.count / 2]) / 1000
    let p99 = Double(sorted[sorted.count * 99 / 100]) / 1000
    let total = Double(sorted.reduce(0, +)) / 1e9
    print(
      #"{"suite":"mcp","name":"\#(name)","p50_us":\#(String(format: "%.2f", p50)),"#
        + #""p99_us":\#(String(format: "%.2f", p99)),"ops_per_sec":\#(String(format: "%.0f", Double(sorted.count) / total))}"#
    )
  }
}
