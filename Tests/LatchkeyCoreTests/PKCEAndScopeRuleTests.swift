import LatchkeyCore
import LatchkeyTestSupport
import Testing

@Suite("PKCE, scope and resource indicator rules")
struct PKCEAndScopeRuleTests {
  static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

  @Test(arguments: [
    (challenge as String?, "S256" as String?, nil as PKCEProblem?),
    (challenge, nil, .unsupportedMethod),  // absent method means plain
    (challenge, "plain", .unsupportedMethod),
    (challenge, "s256", .unsupportedMethod),
    (nil, "S256", .missingChallenge),
    ("", "S256", .missingChallenge),
    ("short", "S256", .malformedChallenge),
    (String(challenge.dropLast()) + "=", "S256", .malformedChallenge),
    (challenge + "A", "S256", .malformedChallenge),
  ])
  func challengeRules(challenge: String?, method: String?, problem: PKCEProblem?) {
    #expect(PKCERule.validate(challenge: challenge, method: method) == problem)
  }

  @Test func verifierShape() {
    #expect(PKCERule.isWellFormedVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
    #expect(PKCERule.isWellFormedVerifier(String(repeating: "a~.", count: 42) + "ab"))
    #expect(!PKCERule.isWellFormedVerifier(String(repeating: "a", count: 42)))
    #expect(!PKCERule.isWellFormedVerifier(String(repeating: "a", count: 129)))
    #expect(!PKCERule.isWellFormedVerifier(String(repeating: "a", count: 42) + "+"))
  }

  @Test func scopeParameterParsing() {
    #expect(ScopeSet(parameter: "b a  b")?.tokens == ["a", "b"])
    #expect(ScopeSet(parameter: "a\"b") == nil)
    #expect(ScopeSet(parameter: "a\tb") == nil)
    #expect(ScopeSet(parameter: "")?.isEmpty == true)
  }

  @Test func scopesResolveAgainstTheResource() {
    let resource = Fixtures.resource()
    var client = Fixtures.client(at: t0)
    #expect(
      ScopeRule.resolve(requested: nil, resource: resource, client: client)
        == .success(ScopeSet(["notes:read"])))
    #expect(
      ScopeRule.resolve(requested: ScopeSet(["notes:write"]), resource: resource, client: client)
        == .success(ScopeSet(["notes:write"])))
    let unknown = ScopeRule.resolve(
      requested: ScopeSet(["admin"]), resource: resource, client: client)
    #expect(unknown.failureCode == .invalidScope)
    client.allowedScopes = ScopeSet(["notes:read"])
    // A self-registered client's own `scope` does not stop it from stepping up (MCP).
    #expect(
      ScopeRule.resolve(requested: ScopeSet(["notes:write"]), resource: resource, client: client)
        == .success(ScopeSet(["notes:write"])))
    client.origin = .preregistered
    let limited = ScopeRule.resolve(
      requested: ScopeSet(["notes:write"]), resource: resource, client: client)
    #expect(limited.failureCode == .invalidScope)
  }

  @Test func offlineAccessIsAcceptedButNeverGranted() {
    let resource = Fixtures.resource()
    let client = Fixtures.client(at: t0)
    #expect(
      ScopeRule.resolve(requested: ScopeSet(["offline_access"]), resource: resource, client: client)
        == .success(ScopeSet(["notes:read"])))
    #expect(
      ScopeRule.resolve(
        requested: ScopeSet(["notes:write", "offline_access"]), resource: resource, client: client)
        == .success(ScopeSet(["notes:write"])))
    #expect(
      ScopeRule.narrow(requested: ScopeSet(["offline_access"]), granted: ScopeSet(["a"]))
        == .success(ScopeSet(["a"])))
  }

  @Test func refreshMayNarrowButNeverWiden() {
    let granted = ScopeSet(["a", "b"])
    #expect(ScopeRule.narrow(requested: nil, granted: granted) == .success(granted))
    #expect(
      ScopeRule.narrow(requested: ScopeSet(["a"]), granted: granted) == .success(ScopeSet(["a"])))
    #expect(
      ScopeRule.narrow(requested: ScopeSet(["a", "c"]), granted: granted).failureCode
        == .invalidScope)
  }

  @Test func resourceIndicatorResolution() {
    let notes = Fixtures.resource()
    let other = Fixtures.resource(url: "https://other.example/mcp")
    #expect(ResourceIndicatorRule.resolve(requested: [], registered: [notes]) == .success(notes))
    #expect(
      ResourceIndicatorRule.resolve(requested: [], registered: [notes, other]).failureCode
        == .invalidTarget)
    #expect(
      ResourceIndicatorRule.resolve(
        requested: ["HTTPS://MCP.example.com/mcp"], registered: [notes, other])
        == .success(notes))
    #expect(
      ResourceIndicatorRule.resolve(
        requested: ["https://mcp.example.com/mcp/"], registered: [notes]
      ).failureCode == .invalidTarget)
    #expect(
      ResourceIndicatorRule.resolve(
        requested: ["https://mcp.example.com/mcp#x"], registered: [notes]
      ).failureCode == .invalidTarget)
    #expect(
      ResourceIndicatorRule.resolve(requested: ["mcp"], registered: [notes]).failureCode
        == .invalidTarget)
    #expect(
      ResourceIndicatorRule.resolve(requested: [notes.url, other.url], registered: [notes, other])
        .failureCode
        == .invalidTarget)
    #expect(ResourceIndicatorRule.canonicalize("https://Example.COM/") == "https://example.com")
  }
}

extension Result where Failure == OAuthError {
  var failureCode: OAuthErrorCode? {
    if case .failure(let error) = self { error.code } else { nil }
  }
}

let t0 = Fixtures.epoch
