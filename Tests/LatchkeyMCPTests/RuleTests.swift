import LatchkeyCore
import LatchkeyMCP
import Testing

@Suite struct RuleTests {
  @Test(arguments: [
    ([String](), BearerCredentials.absent),
    ([""], .absent),
    (["Basic dXNlcjpwYXNz"], .absent),
    (["Bearer"], .malformed),
    (["Bearer "], .malformed),
    (["Bearer abc def"], .malformed),
    (["Bearer abc", "Bearer def"], .malformed),
    (["Bearer a\"b"], .malformed),
    (["Bearer abc.def-ghi_jkl~+/=="], .token("abc.def-ghi_jkl~+/==")),
    (["bearer abc"], .token("abc")),
    (["BEARER   abc  "], .token("abc")),
    (["Bearer a=b"], .malformed),
    (["Bearer ="], .malformed),
    (["Bearer a=="], .token("a==")),
    (["Bearer a==b="], .malformed),
    (["Bearer é"], .malformed),
    (["Bearer a\u{0}"], .malformed),
    (
      ["Bearer " + String(repeating: "x", count: 4096)], .token(String(repeating: "x", count: 4096))
    ),
  ])
  func authorizationHeaderParsing(values: [String], expected: BearerCredentials) {
    #expect(BearerCredentials.parse(values) == expected)
  }

  @Test func challengeQuotingEscapesQuotesBackslashesAndDropsControls() {
    #expect(BearerChallenge.quoted(#"a"b\c"#) == #""a\"b\\c""#)
    #expect(BearerChallenge.quoted("x\r\ny") == #""xy""#)
    let header = BearerChallenge.unauthorized(
      error: nil, scope: "notes:read", resourceMetadata: "https://h/.well-known/x")
    #expect(header == #"Bearer resource_metadata="https://h/.well-known/x", scope="notes:read""#)
    let forbidden = BearerChallenge.insufficientScope(scope: "a b", resourceMetadata: "u")
    #expect(forbidden == #"Bearer error="insufficient_scope", scope="a b", resource_metadata="u""#)
  }

  @Test(arguments: [
    ("https://mcp.example/mcp", "https://mcp.example/.well-known/oauth-protected-resource/mcp"),
    ("https://mcp.example", "https://mcp.example/.well-known/oauth-protected-resource"),
    ("https://mcp.example/", "https://mcp.example/.well-known/oauth-protected-resource"),
    (
      "http://127.0.0.1:8081/public/mcp",
      "http://127.0.0.1:8081/.well-known/oauth-protected-resource/public/mcp"
    ),
  ])
  func metadataURLInsertsSuffixBetweenHostAndPath(resource: String, expected: String) throws {
    let parsed = try #require(WellKnownLocation.parseResource(resource))
    #expect(WellKnownLocation.protectedResourceMetadataURL(for: parsed) == expected)
  }

  @Test func resourceMustBeAbsoluteHTTPWithoutQueryOrFragment() {
    #expect(WellKnownLocation.parseResource("mcp.example/mcp") == nil)
    #expect(WellKnownLocation.parseResource("https://mcp.example/mcp?x=1") == nil)
    #expect(WellKnownLocation.parseResource("https://mcp.example/mcp#f") == nil)
    #expect(WellKnownLocation.parseResource("ftp://mcp.example/mcp") == nil)
  }

  @Test func peekReadsMethodsToolsAndBatches() {
    #expect(JSONRPCPeek.peek(Array("{".utf8)) == .parseError)
    #expect(JSONRPCPeek.peek(Array("[]".utf8)) == .invalidRequest)
    #expect(JSONRPCPeek.peek(Array("42".utf8)) == .invalidRequest)
    #expect(JSONRPCPeek.peek(Array(#"[{"jsonrpc":"2.0"}]"#.utf8)) == .invalidRequest)
    let batch =
      #"[{"jsonrpc":"2.0","id":"a","method":"tools/list"},"#
      + #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_note"}},"#
      + #"{"jsonrpc":"2.0","method":"notifications/initialized"},"#
      + #"{"jsonrpc":"2.0","id":9,"result":{}}]"#
    #expect(
      JSONRPCPeek.peek(Array(batch.utf8))
        == .calls([
          JSONRPCCall(method: "tools/list", id: .string("a")),
          JSONRPCCall(method: "tools/call", toolName: "add_note", id: .number(2)),
          JSONRPCCall(method: "notifications/initialized"),
          JSONRPCCall(method: nil, id: .number(9)),
        ]))
  }

  @Test func scopeDecisionChallengesWithNeededUnionHeldWithoutOfflineAccess() {
    let policy = ScopePolicy(impliedScopes: ["notes:write": ScopeSet(["notes:read"])])
    #expect(
      ScopeDecision.decide(
        held: ScopeSet(["notes:write"]), needed: ScopeSet(["notes:read"]), policy: policy)
        == .allowed)
    #expect(
      ScopeDecision.decide(
        held: ScopeSet(["notes:read", "offline_access"]), needed: ScopeSet(["notes:write"]),
        policy: policy) == .insufficient(challengeScope: ScopeSet(["notes:read", "notes:write"])))
  }

  @Test func annotationsDeriveToolScopesUnlessConfigured() {
    var policy = ScopePolicy(toolScopes: ["special": ScopeSet(["admin"])])
    policy.deriveToolScopes(
      readOnlyHints: ["list": true, "add": false, "other": nil, "special": true],
      readScope: "r", writeScope: "w")
    #expect(policy.toolScopes["list"] == ScopeSet(["r"]))
    #expect(policy.toolScopes["add"] == ScopeSet(["w"]))
    #expect(policy.toolScopes["other"] == ScopeSet(["w"]))
    #expect(policy.toolScopes["special"] == ScopeSet(["admin"]))
  }

  @Test func jsonRPCErrorBodyEscapesAndEchoesID() {
    #expect(
      JSONRPCErrorBody.render(code: -32700, message: "a\"b", id: .string("x"))
        == #"{"jsonrpc":"2.0","id":"x","error":{"code":-32700,"message":"a\"b"}}"#)
  }
}
