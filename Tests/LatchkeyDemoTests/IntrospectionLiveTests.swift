import Foundation
import LatchkeyCommands
import LatchkeyCore
import LatchkeyFetch
import LatchkeyJOSE
import LatchkeyMCP
import LatchkeyTestSupport
import Testing

/// `IntrospectionAccessTokenVerifier` against the real authorization server's `/introspect`,
/// authenticating as a confidential client registered in its store.
@Suite("Introspection against the real AS")
struct IntrospectionLiveTests {
  @Test func realTokensAreActiveOthersAreNotAndBadCredentialsAre503() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let secret = SecureRandom.token()
      try await runtime.store.insertClient(
        Client(
          id: "notes-rs", name: "Notes resource server", origin: .preregistered,
          redirectURIs: ["https://rs.example/unused"],
          tokenEndpointAuthMethod: .clientSecretBasic, applicationType: .web,
          secretHash: SecretHash.of(secret), createdAt: Date()))
      let signedIn = try await DemoHarness.signIn(runtime, scope: "notes:read")
      let endpoint = try #require(URL(string: runtime.issuerURL + "/introspect"))
      func verifier(secret: String) -> IntrospectionAccessTokenVerifier {
        IntrospectionAccessTokenVerifier(
          endpoint: endpoint, clientID: "notes-rs", clientSecret: secret,
          issuer: runtime.issuerURL, resource: runtime.mcpURL,
          fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true),
          logger: DemoHarness.quietLogger)
      }
      let good = verifier(secret: secret)
      let identity = try await good.verify(signedIn.tokens.accessToken)
      #expect(identity.clientID == signedIn.clientID)
      #expect(identity.scopes == ScopeSet(["notes:read"]))
      #expect(identity.issuer == runtime.issuerURL)
      #expect(identity.tokenID != nil)
      let user = try #require(try await runtime.store.user(username: DemoHarness.username))
      #expect(identity.subject == user.id)
      _ = try await good.verify(signedIn.tokens.accessToken)
      #expect(good.introspectionRequests == 1)

      await #expect(throws: TokenRejection.invalid("inactive")) {
        try await good.verify("not-a-token")
      }
      if let refresh = signedIn.tokens.refreshToken {
        await #expect(throws: TokenRejection.invalid("inactive")) {
          try await good.verify(refresh)
        }
      }
      await #expect(throws: TokenRejection.keysUnavailable) {
        try await verifier(secret: "wrong").verify(signedIn.tokens.accessToken)
      }
    }
  }
}
