import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// The token endpoint's grant handlers as pure parts: the registry, and each grant's plan — the
/// binding checks run once, from the request and the rows the store read.
@Suite struct GrantHandlerTests {
  static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
  static let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: Fixtures.epoch)

  static func form(_ body: String) throws -> FormBody {
    try #require(FormBody.parse(Array(body.utf8)))
  }

  @Test func theRegistryServesEveryGrantTypeAndDiscoveryNamesThem() {
    #expect(GrantRegistry.standard.grantTypes == GrantType.allCases)
    for grantType in GrantType.allCases {
      #expect(GrantRegistry.standard.handler(for: grantType)?.grantType == grantType)
    }
    #expect(GrantType(rawValue: "password") == nil)
    // Dynamic registration offers every grant but client_credentials (operator-created only).
    #expect(
      ClientMetadataRule.supportedGrantTypes
        == Set(GrantType.allCases).subtracting([.clientCredentials]))
  }

  @Test(arguments: ["implicit", "password", "Authorization_Code"])
  func registrationRefusesAnUnknownGrantTypeNamingIt(raw: String) {
    let result = ClientMetadataRule.validate(
      redirectURIs: ["https://a.example/cb"], clientName: nil, tokenEndpointAuthMethod: "none",
      grantTypes: ["authorization_code", raw], responseTypes: nil, applicationType: nil,
      scope: nil, clientURI: nil, logoURI: nil)
    #expect(
      result.map(\.grantTypes)
        == .failure(
          OAuthError(.invalidClientMetadata, "The grant type \(raw) is not supported.")))
  }

  @Test func registrationKeepsGrantTypesInOrderWithoutRepeats() {
    let result = ClientMetadataRule.validate(
      redirectURIs: ["https://a.example/cb"], clientName: nil, tokenEndpointAuthMethod: "none",
      grantTypes: ["refresh_token", "authorization_code", "refresh_token"], responseTypes: nil,
      applicationType: nil, scope: nil, clientURI: nil, logoURI: nil)
    #expect(result.map(\.grantTypes) == .success([.refreshToken, .authorizationCode]))
  }

  // MARK: authorization_code

  /// The fixture code's redirect URI, form-encoded.
  static let callback = "http%3A%2F%2F127.0.0.1%2Fcallback"

  static func codeRequest(
    _ extra: String = "", verifier: String = verifier, redirect: String = callback
  ) throws
    -> AuthorizationCodeRequest
  {
    try AuthorizationCodeRequest.parse(
      form("code=abc&code_verifier=\(verifier)&redirect_uri=\(redirect)\(extra)"),
      clientID: "c1"
    ).get()
  }

  static let issuance = CodeIssuance(
    at: Fixtures.epoch, refreshTokenHash: "rt-hash", refreshLifetime: 86_400, source: "198.51.100.7"
  )

  @Test func aMatchingRedemptionIssuesTheFirstRefreshTokenAndItsEvent() throws {
    let code = Fixtures.code(for: Self.grant, at: Fixtures.epoch)
    let plan = AuthorizationCodeGrant.plan(
      try Self.codeRequest(), code: code,
      grant: Self.grant, issuing: Self.issuance)
    guard case .issue(let token?, let event?) = plan else {
      Issue.record("expected an issue plan, got \(plan)")
      return
    }
    #expect(token.tokenHash == "rt-hash" && token.grantID == Self.grant.id)
    #expect(
      token.scopes == code.scopes && token.expiresAt == Fixtures.epoch.addingTimeInterval(86_400))
    #expect(event.type == "token.issued" && event.sourceAddress == "198.51.100.7")
    let withoutRefresh = CodeIssuance(
      at: Fixtures.epoch, refreshTokenHash: nil, refreshLifetime: 86_400, source: nil)
    guard
      case .issue(nil, _?) = AuthorizationCodeGrant.plan(
        try Self.codeRequest(), code: code, grant: Self.grant, issuing: withoutRefresh)
    else {
      Issue.record("a client that may not refresh gets no refresh token")
      return
    }
  }

  @Test func aBrokenBindingRefusesInTheOrderOfTheChecks() throws {
    let code = Fixtures.code(for: Self.grant, at: Fixtures.epoch)
    var otherClient = code
    otherClient.clientID = "c2"
    let cases: [(AuthorizationCodeRequest, AuthorizationCode, OAuthError)] = [
      (
        try Self.codeRequest(verifier: String(repeating: "a", count: 43)), otherClient,
        OAuthError(.invalidGrant, "The code was issued to another client.")
      ),
      (
        try Self.codeRequest(redirect: "http%3A%2F%2F127.0.0.1%2Fother"), code,
        OAuthError(.invalidGrant, "redirect_uri does not match the authorization request.")
      ),
      (
        try Self.codeRequest(verifier: String(repeating: "a", count: 43)), code,
        OAuthError(.invalidGrant, "The code_verifier does not match the code_challenge.")
      ),
      (
        try Self.codeRequest("&resource=https%3A%2F%2Fother.example%2Fmcp"), code,
        OAuthError(.invalidTarget, "The resource does not match the authorization.")
      ),
    ]
    for (request, record, expected) in cases {
      #expect(
        AuthorizationCodeGrant.plan(
          request, code: record, grant: Self.grant, issuing: Self.issuance) == .refuse(expected))
    }
  }

  @Test func theVerifierIsHashedBeforeTheStoreIsAsked() throws {
    let request = try Self.codeRequest()
    #expect(request.verifierChallenge == PKCE.s256Challenge(verifier: Self.verifier))
    #expect(request.codeHash == SecretHash.of("abc"))
    #expect(
      throws: OAuthError(.invalidRequest, "code_verifier is malformed.")
    ) { try Self.codeRequest(verifier: "short") }
  }

  // MARK: refresh_token

  static func refreshRequest(_ extra: String = "", clientID: String = "c1") throws
    -> RefreshTokenRequest
  {
    try RefreshTokenRequest.parse(form("refresh_token=rt\(extra)"), clientID: clientID).get()
  }

  static let rotation = RotationIssuance(
    at: Fixtures.epoch, successorHash: "next-hash", lifetime: 86_400, source: nil)

  @Test func aNarrowingRefreshRotatesWithTheNarrowedAccessScopes() throws {
    let grant = Grant(
      id: "g", userID: "u1", clientID: "c1", resource: Fixtures.resourceURL,
      scopes: ScopeSet(["notes:read", "notes:write"]), createdAt: Fixtures.epoch,
      expiresAt: Fixtures.epoch.addingTimeInterval(3600))
    let parent = Fixtures.refreshToken(for: grant, at: Fixtures.epoch)
    let plan = RefreshTokenGrant.plan(
      try Self.refreshRequest("&scope=notes%3Aread"), parent: parent, grant: grant,
      issuing: Self.rotation)
    guard case .rotate(let writes) = plan else {
      Issue.record("expected a rotation, got \(plan)")
      return
    }
    #expect(writes.accessScopes == ScopeSet(["notes:read"]))
    #expect(writes.successor.scopes == parent.scopes)
    #expect(writes.successor.parentHash == parent.tokenHash)
    #expect(writes.successor.expiresAt == grant.expiresAt)
    #expect(writes.event?.type == "token.refreshed" && writes.event?.scopes == writes.accessScopes)
  }

  @Test func aRefreshThatDoesNotFitTheTokenIsRefusedBeforeAnyChange() throws {
    let parent = Fixtures.refreshToken(for: Self.grant, at: Fixtures.epoch)
    let cases: [(RefreshTokenRequest, OAuthError)] = [
      (
        try Self.refreshRequest(clientID: "c2"),
        OAuthError(.invalidGrant, "The refresh token was issued to another client.")
      ),
      (
        try Self.refreshRequest("&resource=https%3A%2F%2Fother.example%2Fmcp"),
        OAuthError(.invalidTarget, "The resource does not match the authorization.")
      ),
      (
        try Self.refreshRequest("&scope=notes%3Aread%20notes%3Aadmin"),
        OAuthError(.invalidScope, "The requested scope exceeds the grant.")
      ),
    ]
    for (request, expected) in cases {
      #expect(
        RefreshTokenGrant.plan(request, parent: parent, grant: Self.grant, issuing: Self.rotation)
          == .refuse(expected))
    }
  }

  @Test func aGraceRetryMustDeriveTheStoredSuccessor() throws {
    let parent = Fixtures.refreshToken(for: Self.grant, at: Fixtures.epoch)
    let successor = Fixtures.refreshToken(hash: "next-hash", for: Self.grant, at: Fixtures.epoch)
    let other = Fixtures.refreshToken(hash: "someone-elses", for: Self.grant, at: Fixtures.epoch)
    let request = try Self.refreshRequest()
    #expect(
      request.replayScopes(parent: parent, successor: successor, expected: Self.rotation)
        == .success(successor.scopes))
    #expect(
      request.replayScopes(parent: parent, successor: other, expected: Self.rotation)
        == .failure(OAuthError(.invalidGrant, "The refresh token is invalid.")))
  }
}
