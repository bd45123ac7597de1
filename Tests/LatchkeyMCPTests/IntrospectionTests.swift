import Foundation
import LatchkeyCore
import LatchkeyMCP
import LatchkeyTestSupport
import Testing

@Suite("Introspection verifier (RFC 7662)")
struct IntrospectionTests {
  static let issuer = "https://as.example"
  static let resource = "https://mcp.example/mcp"
  static let endpoint = URL(string: "https://as.example/introspect")!
  static let now = Int64(FixedClockStart.date.timeIntervalSince1970)

  static func answer(
    active: Bool = true, aud: String = #""https://mcp.example/mcp""#,
    iss: String = "https://as.example", exp: Int64 = now + 300, extra: String = ""
  ) -> String {
    #"{"active":\#(active),"scope":"notes:read notes:write","client_id":"c1","sub":"alice","aud":\#(aud),"iss":"\#(iss)","exp":\#(exp),"jti":"j1","token_type":"Bearer"\#(extra)}"#
  }

  static func verifier(_ stub: StubIntrospectionEndpoint, clock: FixedClock)
    -> IntrospectionAccessTokenVerifier
  {
    IntrospectionAccessTokenVerifier(
      endpoint: endpoint, clientID: "rs 1", clientSecret: "s3cr:t", issuer: issuer,
      resource: resource, fetcher: stub, clock: clock)
  }

  @Test func activeAnswerGivesTheIdentityAndTheRequestIsAuthenticated() async throws {
    let stub = StubIntrospectionEndpoint(.answer(Self.answer()))
    let verifier = Self.verifier(stub, clock: FixedClock(FixedClockStart.date))
    let identity = try await verifier.verify("opaque token/+")
    #expect(identity.subject == "alice" && identity.clientID == "c1" && identity.tokenID == "j1")
    #expect(identity.scopes == ScopeSet(["notes:read", "notes:write"]))
    #expect(identity.issuer == Self.issuer)
    #expect(identity.expiresAt == Date(timeIntervalSince1970: TimeInterval(Self.now + 300)))
    let sent = try #require(stub.requests.first)
    #expect(sent.url == Self.endpoint)
    #expect(sent.body == "token=opaque+token%2F%2B&token_type_hint=access_token")
    #expect(sent.headers["Content-Type"] == "application/x-www-form-urlencoded")
    let basic = Data("rs+1:s3cr%3At".utf8).base64EncodedString()
    #expect(sent.headers["Authorization"] == "Basic \(basic)")
  }

  @Test func audienceMayBeAnArray() async throws {
    let stub = StubIntrospectionEndpoint(
      .answer(Self.answer(aud: #"["https://other.example","https://mcp.example/mcp"]"#)))
    let identity = try await Self.verifier(stub, clock: FixedClock(FixedClockStart.date))
      .verify("t")
    #expect(identity.audience == ["https://other.example", Self.resource])
  }

  @Test(arguments: [
    (answer(active: false), TokenRejection.invalid("inactive")),
    (answer(aud: #""https://other.example/mcp""#), .wrongAudience),
    (answer(aud: "[]"), .wrongAudience),
    (#"{"active":true,"sub":"alice","iss":"https://as.example"}"#, .wrongAudience),
    (answer(iss: "https://evil.example"), .wrongIssuer),
    (answer(exp: now - 31), .expired),
    (answer(extra: #","nbf":\#(now + 60)"#), .invalid("not yet valid")),
    (
      answer().replacingOccurrences(of: #""Bearer""#, with: #""refresh_token""#),
      .invalid("not an access token")
    ),
    (answer().replacingOccurrences(of: #""sub":"alice","#, with: ""), .invalid("missing sub")),
  ])
  func refusedAnswers(json: String, expected: TokenRejection) async {
    let stub = StubIntrospectionEndpoint(.answer(json))
    let verifier = Self.verifier(stub, clock: FixedClock(FixedClockStart.date))
    await #expect(throws: expected) { try await verifier.verify("t") }
  }

  @Test(arguments: [
    StubIntrospectionEndpoint.Behaviour.down, .status(401), .status(500), .answer("not json"),
    .answer(#"{"sub":"alice"}"#),
  ])
  func unanswerableIntrospectionIs503NotInvalidToken(behaviour: StubIntrospectionEndpoint.Behaviour)
    async
  {
    let stub = StubIntrospectionEndpoint(behaviour)
    let verifier = Self.verifier(stub, clock: FixedClock(FixedClockStart.date))
    await #expect(throws: TokenRejection.keysUnavailable) { try await verifier.verify("t") }
    await #expect(throws: TokenRejection.keysUnavailable) { try await verifier.verify("t") }
    #expect(stub.requests.count == 2)
  }

  @Test func positiveAnswersAreReusedForThirtySecondsAtMost() async throws {
    let clock = FixedClock(FixedClockStart.date)
    let stub = StubIntrospectionEndpoint(.answer(Self.answer()))
    let verifier = Self.verifier(stub, clock: clock)
    _ = try await verifier.verify("t")
    clock.advance(by: 29)
    _ = try await verifier.verify("t")
    #expect(verifier.introspectionRequests == 1)
    clock.advance(by: 2)
    stub.set(.answer(Self.answer(active: false)))
    await #expect(throws: TokenRejection.invalid("inactive")) { try await verifier.verify("t") }
    #expect(verifier.introspectionRequests == 2)
  }

  @Test func positiveAnswersNeverOutliveTheToken() async throws {
    let clock = FixedClock(FixedClockStart.date)
    let stub = StubIntrospectionEndpoint(.answer(Self.answer(exp: Self.now + 10)))
    let verifier = Self.verifier(stub, clock: clock)
    _ = try await verifier.verify("t")
    clock.advance(by: 11)
    _ = try? await verifier.verify("t")
    #expect(verifier.introspectionRequests == 2)
  }

  @Test func negativeAnswersAreReusedOnlyBriefly() async throws {
    let clock = FixedClock(FixedClockStart.date)
    let stub = StubIntrospectionEndpoint(.answer(Self.answer(active: false)))
    let verifier = Self.verifier(stub, clock: clock)
    for _ in 0..<3 { _ = try? await verifier.verify("t") }
    #expect(verifier.introspectionRequests == 1)
    clock.advance(by: 6)
    stub.set(.answer(Self.answer()))
    let identity = try await verifier.verify("t")
    #expect(identity.subject == "alice")
    #expect(verifier.introspectionRequests == 2)
  }

  @Test func middlewareAnswers401And503FromIntrospection() async throws {
    let stub = StubIntrospectionEndpoint(.answer(Self.answer(active: false)))
    let verifier = Self.verifier(stub, clock: FixedClock(FixedClockStart.date))
    let authorizer = ResourceServerAuthorizer(
      configuration: try ProtectedResourceConfiguration(
        resource: Self.resource, issuer: Self.issuer,
        scopePolicy: ScopePolicy(baseScopes: ScopeSet(["notes:read"]))),
      verifier: verifier, clock: FixedClock(FixedClockStart.date))
    let inactive = await authorizer.authenticate(headerFields: [.authorization: "Bearer a"])
    guard case .failure(let rejection) = inactive else {
      Issue.record("inactive token accepted")
      return
    }
    #expect(rejection.status == .unauthorized)
    #expect(rejection.headerFields[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
    stub.set(.down)
    let down = await authorizer.authenticate(headerFields: [.authorization: "Bearer b"])
    guard case .failure(let unavailable) = down else {
      Issue.record("token accepted with the AS down")
      return
    }
    #expect(unavailable.status == .serviceUnavailable)
  }
}
