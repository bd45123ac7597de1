import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeyCommands

/// The pure checks of `doctor --remote`, one document at a time.
@Suite("doctor --remote checks")
struct RemoteDoctorCheckTests {
  static func response(
    _ status: Int, _ headers: [String: String] = [:], body: String = ""
  ) -> RemoteAnswer {
    .response(HTTPFetchResponse(status: status, headers: headers, body: Array(body.utf8)))
  }

  static func document(_ json: String) throws -> MetadataDocument {
    try #require(MetadataDocument(json: Array(json.utf8)))
  }

  static func severities(_ findings: [DoctorFinding]) -> [String: DoctorFinding.Severity] {
    Dictionary(findings.map { ($0.check, $0.severity) }, uniquingKeysWith: { first, _ in first })
  }

  @Test func bearerChallengesAreParsedQuotedOrNot() {
    let parameters = BearerChallengeParser.parameters(
      #"Bearer resource_metadata="https://mcp.example.com/.well-known/x", scope=notes:read"#)
    #expect(parameters?["resource_metadata"] == "https://mcp.example.com/.well-known/x")
    #expect(parameters?["scope"] == "notes:read")
    let second = BearerChallengeParser.parameters(
      #"Basic realm="x", bearer error="invalid_token", scope="a b", DPoP algs="ES256""#)
    #expect(second == ["error": "invalid_token", "scope": "a b"])
    #expect(BearerChallengeParser.parameters(#"Basic realm="x""#) == nil)
    #expect(BearerChallengeParser.parameters("Bearer") == [:])
    #expect(BearerChallengeParser.parameters(#"Bearer realm="a \"b\"""#)?["realm"] == #"a "b""#)
  }

  @Test func wellKnownURLsFollowTheClients() throws {
    let resource = try #require(URL(string: "https://mcp.example.com/tenant/mcp/?x=1"))
    #expect(
      WellKnownURLs.protectedResourceMetadata(for: resource)
        == "https://mcp.example.com/.well-known/oauth-protected-resource/tenant/mcp?x=1")
    #expect(
      WellKnownURLs.rootProtectedResourceMetadata(for: resource)
        == "https://mcp.example.com/.well-known/oauth-protected-resource")
    let issuer = try #require(URL(string: "https://auth.example.com:8443/realms/a/"))
    #expect(
      WellKnownURLs.authorizationServerMetadata(for: issuer) == [
        "https://auth.example.com:8443/.well-known/oauth-authorization-server/realms/a",
        "https://auth.example.com:8443/.well-known/openid-configuration/realms/a",
        "https://auth.example.com:8443/realms/a/.well-known/openid-configuration",
      ])
    let root = try #require(URL(string: "https://auth.example.com"))
    #expect(
      WellKnownURLs.authorizationServerMetadata(for: root) == [
        "https://auth.example.com/.well-known/oauth-authorization-server",
        "https://auth.example.com/.well-known/openid-configuration",
      ])
  }

  @Test func theChallengeMustBeA401BearerWithResourceMetadata() {
    let good = ResourceChecks.challenge(
      Self.response(
        401, ["www-authenticate": #"Bearer resource_metadata="https://x/y", scope="s""#]))
    #expect(good.map(\.severity) == [.ok])
    #expect(ResourceChecks.challenge(Self.response(200))[0].message.contains("not protected"))
    #expect(ResourceChecks.challenge(Self.response(401))[0].severity == .problem)
    #expect(ResourceChecks.challenge(.failed("timed out after 5 s"))[0].severity == .problem)
    let bare = Self.severities(
      ResourceChecks.challenge(Self.response(401, ["www-authenticate": "Bearer"])))
    #expect(
      bare == [
        "challenge": .ok, "challenge.resource_metadata": .warning, "challenge.scope": .warning,
      ])
  }

  @Test func metadataIsLookedForWhereClientsLook() {
    let found = RemoteObservations.Fetch(
      url: "https://m/.well-known/oauth-protected-resource/mcp",
      answer: Self.response(200, body: #"{"resource":"https://m/mcp"}"#))
    let missing = RemoteObservations.Fetch(
      url: "https://m/.well-known/oauth-protected-resource", answer: Self.response(404))
    #expect(
      ResourceChecks.metadataLocations(pathInserted: found, root: missing, named: nil).map(
        \.severity) == [.ok])
    let rootOnly = ResourceChecks.metadataLocations(
      pathInserted: .init(url: found.url, answer: Self.response(404)),
      root: .init(url: missing.url, answer: found.answer), named: nil)
    #expect(rootOnly.map(\.severity) == [.warning])
    let none = ResourceChecks.metadataLocations(
      pathInserted: .init(url: found.url, answer: Self.response(404)), root: missing, named: nil)
    #expect(none.map(\.severity) == [.problem])
    #expect(none[0].message.contains("no protected resource metadata"))
    let brokenLink = ResourceChecks.metadataLocations(
      pathInserted: found, root: missing,
      named: .init(url: "https://m/elsewhere", answer: Self.response(404)))
    #expect(brokenLink.map(\.severity) == [.problem, .ok])
  }

  @Test func theResourceMustEqualTheURL() throws {
    let url = try #require(URL(string: "https://MCP.example.com:443/mcp"))
    #expect(ResourceChecks.resource("https://mcp.example.com/mcp", target: url)[0].severity == .ok)
    let slash = ResourceChecks.resource("https://mcp.example.com/mcp/", target: url)
    #expect(slash[0].severity == .problem)
    #expect(slash[0].message.contains("differs only by a trailing slash"))
    let prefix = ResourceChecks.resource("https://mcp.example.com", target: url)
    #expect(prefix[0].message.contains("prefix"))
    let other = ResourceChecks.resource("https://other.example.com/mcp", target: url)
    #expect(other[0].message.contains("names another resource"))
    let root = try #require(URL(string: "https://mcp.example.com"))
    #expect(ResourceChecks.resource("https://mcp.example.com/", target: root)[0].severity == .ok)
    #expect(ResourceChecks.metadataDocument(try Self.document("{}")).count == 2)
  }

  @Test func theIssuerMustBeIdentical() {
    #expect(AuthorizationServerChecks.issuer("https://a", expected: "https://a")[0].severity == .ok)
    let extra = AuthorizationServerChecks.issuer("https://a/", expected: "https://a")
    #expect(extra[0].severity == .problem)
    #expect(extra[0].message.contains("by a trailing slash"))
    #expect(
      AuthorizationServerChecks.issuer("https://a", expected: "https://a/")[0].severity == .warning)
    #expect(AuthorizationServerChecks.issuer(nil, expected: "https://a")[0].severity == .problem)
    #expect(
      AuthorizationServerChecks.issuer("https://b", expected: "https://a")[0].severity == .problem)
  }

  @Test func discoveryWarnsWhenOnlyAFallbackAnswers() {
    let ok = Self.response(200, body: #"{"issuer":"https://a"}"#)
    let fetches = ["https://a/1", "https://a/2"].map {
      RemoteObservations.Fetch(url: $0, answer: Self.response(404))
    }
    #expect(
      AuthorizationServerChecks.discovery(fetches, issuer: "https://a")[0].severity == .problem)
    var fallback = fetches
    fallback[1].answer = ok
    #expect(
      AuthorizationServerChecks.discovery(fallback, issuer: "https://a")[0].severity == .warning)
    fallback[0].answer = ok
    #expect(AuthorizationServerChecks.discovery(fallback, issuer: "https://a")[0].severity == .ok)
  }

  @Test func pkceCodeAndRegistrationAreRequired() throws {
    let missing = Self.severities(
      AuthorizationServerChecks.authorizationCode(try Self.document("{}")))
    #expect(missing == ["as.pkce": .problem, "as.response_types": .problem])
    let plain = AuthorizationServerChecks.authorizationCode(
      try Self.document(
        #"{"code_challenge_methods_supported":["plain"],"response_types_supported":["code"]}"#))
    #expect(plain.map(\.severity) == [.problem, .ok])
    let nothing = Self.severities(AuthorizationServerChecks.registration(try Self.document("{}")))
    #expect(
      nothing == ["as.registration": .problem, "as.cimd": .warning, "as.auth_methods": .problem])
    let cimdOnly = Self.severities(
      AuthorizationServerChecks.registration(
        try Self.document(
          #"{"client_id_metadata_document_supported":true,"token_endpoint_auth_methods_supported":["none"]}"#
        )))
    #expect(cimdOnly == ["as.registration": .warning, "as.cimd": .ok, "as.auth_methods": .warning])
    // 1 is not true (JSONSerialization on Linux would say it is).
    #expect(
      try Self.document(#"{"client_id_metadata_document_supported":1}"#).bool(
        "client_id_metadata_document_supported") == nil)
  }

  @Test func crossOriginNeedsThePreflightAndTheRead() {
    let origin = "http://localhost:6274"
    let preflight = Self.response(
      204,
      [
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "Content-Type, MCP-Protocol-Version",
      ])
    var check = RemoteObservations.CrossOrigin(
      name: "mcp", side: .resource, url: "https://m/mcp", method: "POST",
      requestHeaders: ["authorization", "content-type"], preflight: preflight,
      actual: Self.response(401, ["access-control-allow-origin": origin]),
      exposes: ["www-authenticate"])
    let missing = CrossOriginChecks.check(check, origin: origin)
    #expect(missing[0].severity == .warning)
    #expect(missing[0].message.contains("Access-Control-Allow-Headers lacks authorization"))
    #expect(missing[0].message.contains("www-authenticate not in Access-Control-Expose-Headers"))
    check.preflight = Self.response(
      204,
      ["access-control-allow-origin": origin, "access-control-allow-headers": "*, Authorization"])
    check.actual = Self.response(
      401,
      ["access-control-allow-origin": origin, "access-control-expose-headers": "WWW-Authenticate"])
    #expect(CrossOriginChecks.check(check, origin: origin)[0].severity == .ok)
    check.side = .authorizationServer
    check.preflight = Self.response(404)
    #expect(CrossOriginChecks.check(check, origin: origin)[0].severity == .problem)
    check.preflight = Self.response(204, ["access-control-allow-origin": "https://else"])
    #expect(
      CrossOriginChecks.check(check, origin: origin)[0].message.contains(
        "allows origin https://else"))
  }

  @Test func httpOrInternalURLsBehindTLSAreNamed() throws {
    let target = try #require(URL(string: "https://mcp.example.com/mcp"))
    let plain = try Self.document(
      #"{"issuer":"http://mcp.example.com","token_endpoint":"https://mcp.example.com/token"}"#)
    let findings = TransportChecks.transportSecurity(
      target: target, documents: [("the AS metadata", plain)], challengeMetadata: nil)
    #expect(findings.map(\.check) == ["tls.metadata"])
    #expect(findings[0].message.contains("issuer http://mcp.example.com"))
    let leaked = try Self.document(#"{"issuer":"https://127.0.0.1:8080"}"#)
    #expect(
      TransportChecks.transportSecurity(
        target: target, documents: [("x", leaked)], challengeMetadata: nil
      )
      .map(\.check) == ["proxy.host"])
    let http = try #require(URL(string: "http://mcp.example.com/mcp"))
    #expect(
      TransportChecks.transportSecurity(target: http, documents: [], challengeMetadata: nil)[0]
        .check == "tls")
    let loopback = try #require(URL(string: "http://127.0.0.1:8081/mcp"))
    #expect(
      TransportChecks.transportSecurity(
        target: loopback, documents: [("x", leaked)], challengeMetadata: nil)[0].severity == .ok)
    #expect(
      TransportChecks.isLocal("10.1.2.3") && TransportChecks.isLocal("[::1]")
        && TransportChecks.isLocal("172.20.0.1"))
    #expect(!TransportChecks.isLocal("172.32.0.1") && !TransportChecks.isLocal("mcp.example.com"))
  }

  @Test func clockSkewIsReadFromDate() throws {
    let now = try #require(TransportChecks.httpDate("Sun, 06 Nov 1994 08:49:37 GMT"))
    #expect(
      TransportChecks.clockSkew(dateHeader: "Sun, 06 Nov 1994 08:50:07 GMT", now: now)[0].severity
        == .ok)
    #expect(
      TransportChecks.clockSkew(dateHeader: "Sun, 06 Nov 1994 08:52:37 GMT", now: now)[0].severity
        == .warning)
    let far = TransportChecks.clockSkew(dateHeader: "Sun, 06 Nov 1994 08:39:37 GMT", now: now)
    #expect(far[0].severity == .problem)
    #expect(far[0].message.contains("-600 s"))
    #expect(TransportChecks.clockSkew(dateHeader: nil, now: now)[0].severity == .warning)
    #expect(TransportChecks.clockSkew(dateHeader: "yesterday", now: now)[0].severity == .warning)
  }

  @Test func verdictsFollowTheFacts() {
    var facts = RemoteFacts()
    facts.challenge = true
    facts.protectedResourceMetadata = true
    facts.resourcePrefix = true
    facts.resourceEqual = true
    facts.authorizationServerMetadata = true
    facts.issuer = true
    facts.s256 = true
    facts.codeResponseType = true
    facts.secureURLs = true
    facts.dynamicRegistration = true
    facts.metadataDocuments = true
    facts.authMethods = ["none", "client_secret_post"]
    facts.crossOrigin = true
    #expect(ClientVerdicts.verdicts(facts).allSatisfy { $0.ok })

    func failing(_ change: (inout RemoteFacts) -> Void) -> [String: ClientRequirement] {
      var changed = facts
      change(&changed)
      var result: [String: ClientRequirement] = [:]
      for verdict in ClientVerdicts.verdicts(changed) where !verdict.ok {
        result[verdict.client] = verdict.unmet[0]
      }
      return result
    }
    #expect(failing { $0.s256 = false }.count == 9)
    #expect(failing { $0.resourceEqual = false } == ["VS Code": .resourceEqual])
    #expect(failing { $0.crossOrigin = false } == ["MCP Inspector": .crossOrigin])
    #expect(failing { $0.metadataDocuments = false } == ["Goose": .metadataDocument])
    #expect(
      failing { $0.dynamicRegistration = false }
        == [
          "ChatGPT": .chatGPTRegistration, "Cursor": .dynamicPublicRegistration,
          "Windsurf": .dynamicPublicRegistration,
        ])
    // claude.ai: CIMD needs none; without it, DCR with client_secret_post still works.
    #expect(failing { $0.authMethods = ["client_secret_post"] }["claude.ai"] == nil)
    #expect(
      failing {
        $0.authMethods = ["none"]
        $0.metadataDocuments = false
      }["claude.ai"] == .claudeRegistration)
    #expect(failing { $0.trailingSlash = true } == ["claude.ai": .noTrailingSlash])
  }
}
