import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

/// Why a provider's answer was not accepted; `detail` goes to the audit trail and never holds
/// the code, a token or a claim value.
enum UpstreamIdentityFailure: Error, Equatable {
  case unreachable
  case tokenRequestRefused(status: Int)
  case noIDToken
  case idToken(String)
  case userinfo(String)
  case gitHub(GitHubFailure)

  var detail: String {
    switch self {
    case .unreachable: "provider unreachable"
    case .tokenRequestRefused(let status): "token request refused (HTTP \(status))"
    case .noIDToken: "no id_token"
    case .idToken(let reason): "id_token refused: \(reason)"
    case .userinfo(let reason): "userinfo refused: \(reason)"
    case .gitHub(let failure): failure.detail
    }
  }

  func page(_ server: AuthorizationServer, _ name: String) -> Response {
    switch self {
    case .gitHub(let failure):
      failure.page(server, name)
    case .unreachable, .tokenRequestRefused:
      AuthorizationServer.providerUnreachablePage(server, name)
    case .noIDToken, .idToken, .userinfo:
      server.errorPage(
        .badGateway, title: "Sign-in not accepted",
        message:
          "The answer from \(name) could not be verified, so you were not signed in. Go back to your app and start again."
      )
    }
  }
}

extension AuthorizationServer {
  static let upstreamMaximumBytes = 64 * 1024

  /// OpenID Connect Core §3.1.3.1–§3.1.3.3: the code, our `redirect_uri` and PKCE verifier to
  /// the provider's token endpoint, authenticated as `clientAuthentication` says
  /// (`client_secret_basic`, `client_secret_post` or `private_key_jwt`); then the id_token
  /// verified (`verifyIDToken`).
  func upstreamIdentity(
    code: String, _ provider: IdentityProviders.Provider, _ cookie: UpstreamLoginCookie,
    at now: Date
  ) async -> Result<UpstreamSignInResult, UpstreamIdentityFailure> {
    let configuration = provider.configuration
    if configuration.kind == .github {
      return await gitHubIdentity(code: code, provider, cookie, at: now)
    }
    guard
      let metadata = try? await identityProviders.discovery.metadata(for: configuration, at: now),
      case .success(let response) = await postUpstreamTokenRequest(
        provider, tokenEndpoint: metadata.tokenEndpoint,
        grant: [
          ("grant_type", "authorization_code"), ("code", code),
          ("redirect_uri", upstreamRedirectURI(configuration.id)),
          ("code_verifier", cookie.verifier),
        ], at: now)
    else { return .failure(.unreachable) }
    guard response.status == 200 else {
      return .failure(.tokenRequestRefused(status: response.status))
    }
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(response.body))
        as? [String: Any],
      let idToken = object["id_token"] as? String
    else { return .failure(.noIDToken) }
    let tokens = UpstreamTokenResponse(json: object)
    let verified = await verifyIDToken(
      idToken, provider, jwksURI: metadata.jwksURI, nonce: cookie.nonce, at: now)
    guard case .success(let claims) = verified, UpstreamUserinfo.isNeeded(claims, configuration),
      let endpoint = metadata.userinfoEndpoint.flatMap(URL.init(string:)),
      let accessToken = tokens?.accessToken
    else {
      return verified.map { UpstreamSignInResult(identity: UpstreamIdentity($0), tokens: tokens) }
    }
    // The preset's rules again over what userinfo added (a Google email it says is verified
    // still needs the id_token's `hd`).
    return await userinfo(endpoint, accessToken: accessToken, completing: claims, configuration)
      .map {
        UpstreamSignInResult(
          identity: UpstreamIdentity($0.applyingPreset(configuration)), tokens: tokens)
      }
  }

  /// OpenID Connect Core §5.3.1: the access token as a Bearer credential (POST, which §5.3.1
  /// allows, so the `HTTPFetcher` seam's headers carry it); §5.3.2: the answer's `sub` must be
  /// the id_token's, else nothing from it is used.
  func userinfo(
    _ endpoint: URL, accessToken: String, completing claims: IDTokenClaims,
    _ configuration: IdentityProviderConfiguration
  ) async -> Result<IDTokenClaims, UpstreamIdentityFailure> {
    guard
      let response = try? await identityProviders.fetcher.post(
        endpoint, body: [],
        headers: ["authorization": "Bearer " + accessToken, "accept": "application/json"],
        maxBytes: Self.upstreamMaximumBytes, timeout: 10),
      response.status == 200
    else { return .failure(.userinfo("unavailable")) }
    guard
      let answer = IDTokenClaims.decode(response.body, groupsClaim: configuration.groupsClaim)
    else { return .failure(.userinfo("unreadable")) }
    guard let merged = UpstreamUserinfo.merge(claims, answer) else {
      return .failure(.userinfo("subject mismatch"))
    }
    return .success(merged)
  }

  /// OpenID Connect Core §3.1.3.7: the algorithm in the allow-list (never `none` or HMAC), the
  /// signature with a key from the provider's `jwks_uri` (fetched again for an unknown `kid`,
  /// so the provider can rotate), then `IDTokenRule.check`.
  func verifyIDToken(
    _ token: String, _ provider: IdentityProviders.Provider, jwksURI: String, nonce: String,
    at now: Date
  ) async -> Result<IDTokenClaims, UpstreamIdentityFailure> {
    let configuration = provider.configuration
    let expectation = IDTokenRule.Expectation(
      issuer: configuration.issuer, clientID: configuration.clientID, nonce: nonce,
      allowedAlgorithms: configuration.allowedAlgorithms,
      issuerTemplate: configuration.issuerTemplate, allowedTenants: configuration.allowedTenants)
    guard let header = try? JWT.unverifiedParts(token).header else {
      return .failure(.idToken("malformed"))
    }
    if let refusal = IDTokenRule.checkAlgorithm(header.alg, expectation) {
      return .failure(.idToken(refusal.rawValue))
    }
    let keys = await identityProviders.keys.keys(uri: jwksURI, kid: header.kid, at: now)
    let payload: [UInt8]
    do {
      payload = try JWS.verify(token, keys: StaticKeyResolver(keys)).payload
    } catch {
      return .failure(.idToken(error == .unknownKeyID ? "unknown key" : "bad signature"))
    }
    guard let claims = IDTokenClaims.decode(payload, groupsClaim: configuration.groupsClaim)
    else { return .failure(.idToken("malformed")) }
    if let refusal = IDTokenRule.check(
      claims, expectation, now: Int64(now.timeIntervalSince1970))
    {
      return .failure(.idToken(refusal.rawValue))
    }
    return .success(claims.applyingPreset(configuration))
  }
}
