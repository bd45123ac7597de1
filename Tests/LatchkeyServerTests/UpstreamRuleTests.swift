import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Testing

@testable import LatchkeyServer

/// The pure rules of the sign-in through a provider: id_token claims (OpenID Connect Core
/// §3.1.3.7), allow rules, upstream errors, discovery's exact issuer.
@Suite("identity providers: id_token, allow and error rules")
struct UpstreamRuleTests {
  static let expectation = IDTokenRule.Expectation(
    issuer: "https://idp.example.com", clientID: "latchkey", nonce: "n-0123456789",
    allowedAlgorithms: [.rs256, .es256])

  static func claims(_ change: (inout IDTokenClaims) -> Void = { _ in }) -> IDTokenClaims {
    var claims = IDTokenClaims(
      iss: "https://idp.example.com", sub: "s1", aud: ["latchkey"], azp: nil, exp: 1_100,
      iat: 1_000, nonce: "n-0123456789", email: "Ada@Example.com", emailVerified: true,
      preferredUsername: "ada", groups: ["staff"])
    change(&claims)
    return claims
  }

  /// What the allow rules see of `claims`.
  static func identity(_ change: (inout IDTokenClaims) -> Void = { _ in }) -> UpstreamIdentity {
    UpstreamIdentity(claims(change))
  }

  @Test func aGoodIDTokenPasses() {
    #expect(IDTokenRule.check(Self.claims(), Self.expectation, now: 1_050) == nil)
  }

  @Test(arguments: [
    (IDTokenRule.Refusal.wrongIssuer, claims { $0.iss = "https://idp.example.com/" }),
    (.wrongAudience, claims { $0.aud = ["other"] }),
    (.wrongAuthorizedParty, claims { $0.aud = ["latchkey", "other"] }),
    (.wrongAuthorizedParty, claims { $0.azp = "other" }),
    (.expired, claims { $0.exp = 900 }),
    (.expired, claims { $0.exp = nil }),
    (.issuedInFuture, claims { $0.iat = 1_200 }),
    (.wrongNonce, claims { $0.nonce = "n-0123456780" }),
    (.wrongNonce, claims { $0.nonce = nil }),
    (.noSubject, claims { $0.sub = "" }),
  ])
  func eachClaimIsChecked(refusal: IDTokenRule.Refusal, claims: IDTokenClaims) {
    #expect(IDTokenRule.check(claims, Self.expectation, now: 1_050) == refusal)
  }

  @Test func severalAudiencesNeedOurAuthorizedParty() {
    let claims = Self.claims {
      $0.aud = ["latchkey", "other"]
      $0.azp = "latchkey"
    }
    #expect(IDTokenRule.check(claims, Self.expectation, now: 1_050) == nil)
  }

  @Test func onlyAllowedAlgorithmsPass() {
    for alg in ["none", "HS256", "EdDSA", "es256"] {
      #expect(IDTokenRule.checkAlgorithm(alg, Self.expectation) == .algorithmNotAllowed)
    }
    #expect(IDTokenRule.checkAlgorithm("ES256", Self.expectation) == nil)
  }

  @Test func allowRulesNeedAVerifiedEmailAndAGroup() {
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "latchkey", clientSecretEnv: "S")
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == nil)
    provider.allowedEmailDomains = ["example.com"]
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == nil)
    #expect(
      UpstreamAllowRule.check(Self.identity { $0.emailVerified = false }, provider)
        == .emailNotVerified)
    #expect(
      UpstreamAllowRule.check(Self.identity { $0.email = "ada@example.com.evil" }, provider)
        == .emailDomainNotAllowed)
    provider.allowedEmails = ["bob@example.com"]
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == .emailNotAllowed)
    provider.allowedEmails = ["ada@example.com"]
    provider.allowedGroups = ["admins"]
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == .groupMissing)
    provider.allowedGroups = ["staff"]
    #expect(UpstreamAllowRule.check(Self.identity(), provider) == nil)
  }

  @Test func userinfoIsAskedOnlyForMissingClaimsAndOnlyAboutTheSameSubject() {
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "latchkey", clientSecretEnv: "S")
    #expect(!UpstreamUserinfo.isNeeded(Self.claims(), provider))
    let bare = Self.claims {
      $0.email = nil
      $0.emailVerified = false
      $0.groups = []
    }
    #expect(!UpstreamUserinfo.isNeeded(bare, provider))
    provider.allowedGroups = ["staff"]
    #expect(UpstreamUserinfo.isNeeded(bare, provider))
    let answer = Self.claims { $0.preferredUsername = "other-name" }
    let merged = UpstreamUserinfo.merge(bare, answer)
    #expect(merged?.email == "Ada@Example.com" && merged?.emailVerified == true)
    #expect(merged?.groups == ["staff"] && merged?.preferredUsername == "ada")
    #expect(merged?.nonce == bare.nonce && merged?.aud == bare.aud)
    #expect(UpstreamUserinfo.merge(bare, Self.claims { $0.sub = "s2" }) == nil)
  }

  @Test func upstreamErrorsBecomeAccessDeniedOrTemporarilyUnavailable() {
    #expect(UpstreamErrorRule.answer(to: "access_denied").code == .accessDenied)
    #expect(UpstreamErrorRule.answer(to: "interaction_required").code == .accessDenied)
    #expect(UpstreamErrorRule.answer(to: "server_error").code == .temporarilyUnavailable)
    #expect(UpstreamErrorRule.printable("bad\"\\ code\n") == "badcode")
  }

  @Test func discoveryComparesTheIssuerExactly() throws {
    let document = #"""
      {"issuer": "https://idp.example.com/", "authorization_endpoint": "https://idp.example.com/a",
       "token_endpoint": "https://idp.example.com/t", "jwks_uri": "https://idp.example.com/k"}
      """#
    #expect(throws: UpstreamDiscovery.Failure.issuerMismatch) {
      try UpstreamDiscovery.parse(Array(document.utf8), issuer: "https://idp.example.com")
    }
    let metadata = try UpstreamDiscovery.parse(
      Array(document.utf8), issuer: "https://idp.example.com/")
    #expect(metadata.jwksURI == "https://idp.example.com/k")
    #expect(
      UpstreamDiscovery.documentURL(issuer: "https://idp.example.com/")?.absoluteString
        == "https://idp.example.com/.well-known/openid-configuration")
  }

  @Test func usersAreLinkedByProviderAndSubject() {
    let a = UpstreamUsers.userID(provider: "corp", subject: "1")
    #expect(a == UpstreamUsers.userID(provider: "corp", subject: "1"))
    #expect(a != UpstreamUsers.userID(provider: "other", subject: "1"))
    #expect(a != UpstreamUsers.userID(provider: "corp", subject: "2"))
    #expect(
      !ScryptPasswordHasher(parameters: .testing).verify("", against: UpstreamUsers.noPassword))
  }
}
