import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Issue 24 §2: `ScopeTolerance.grantKnownSubset` (RFC 6749 §3.3: the AS may grant less).
@Suite struct ScopeToleranceRuleTests {
  @Test func rulesGrantTheKnownSubset() {
    let resource = Fixtures.resource()
    var client = Fixtures.client(at: t0)
    func resolve(_ scope: String?) -> Result<ScopeResolution, OAuthError> {
      ScopeRule.resolve(
        requested: scope.flatMap { ScopeRule.parse($0, tolerance: .grantKnownSubset) },
        resource: resource, client: client, tolerance: .grantKnownSubset)
    }
    #expect(
      resolve("claudeai")
        == .success(
          ScopeResolution(granted: ScopeSet(["notes:read"]), dropped: ScopeSet(["claudeai"]))))
    #expect(resolve("openid") == .success(ScopeResolution(granted: ScopeSet(["notes:read"]))))
    #expect(resolve(nil) == .success(ScopeResolution(granted: ScopeSet(["notes:read"]))))
    client.origin = .preregistered
    client.allowedScopes = ScopeSet(["notes:read"])
    #expect(
      resolve("notes:write notes:read")
        == .success(
          ScopeResolution(granted: ScopeSet(["notes:read"]), dropped: ScopeSet(["notes:write"]))))
    client.allowedScopes = ScopeSet(["notes:write"])
    #expect(
      resolve(nil).failureCode == .invalidScope,
      "the default is outside the client's allowed scopes: nothing to grant")
    // Strict keeps refusing, but still ignores openid and offline_access.
    #expect(
      ScopeRule.resolve(
        requested: ScopeSet(["claudeai"]), resource: resource, client: client, tolerance: .strict
      ).failureCode == .invalidScope)
    #expect(ScopeRule.parse("a+b", tolerance: .strict) == ScopeSet(["a+b"]))
  }
}
