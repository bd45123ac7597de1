import Foundation
import LatchkeyJOSE

/// Does what an MCP client does to get a token, over real sockets: the first request to the MCP
/// URL → 401 → `resource_metadata` → PRM → AS metadata → dynamic registration (public client,
/// loopback redirect) → authorization with PKCE through the real HTML login and consent forms
/// (reading the `Location`, never following it) → token endpoint; and refresh.
public struct OAuthTestClient: Sendable {
  public let http: TestHTTPClient
  public let redirectURI: String

  public init(
    http: TestHTTPClient = TestHTTPClient(),
    redirectURI: String = "http://127.0.0.1:33418/callback"
  ) {
    self.http = http
    self.redirectURI = redirectURI
  }

  /// Starts from nothing but the MCP URL, as clients do.
  public func discover(mcpURL: String) async throws -> OAuthDiscovery {
    let first = try await http.postJSON(
      mcpURL, Self.initializeRequest, headers: ["Accept": "application/json, text/event-stream"])
    guard first.status == 401, let header = first.header("WWW-Authenticate"),
      let challenge = ChallengeParameters(header),
      let metadataURL = challenge["resource_metadata"]
    else { throw OAuthTestError.unexpectedResponse(status: first.status, body: first.text) }
    let prm = try await http.get(metadataURL).json()
    guard let resource = prm["resource"] as? String,
      let issuer = (prm["authorization_servers"] as? [String])?.first
    else { throw OAuthTestError.missing("resource/authorization_servers in the PRM") }
    let asMetadata = try await http.get(issuer + "/.well-known/oauth-authorization-server")
      .json()
    guard asMetadata["issuer"] as? String == issuer,
      let authorize = asMetadata["authorization_endpoint"] as? String,
      let token = asMetadata["token_endpoint"] as? String,
      let register = asMetadata["registration_endpoint"] as? String
    else { throw OAuthTestError.missing("endpoints in the AS metadata of \(issuer)") }
    return OAuthDiscovery(
      resourceMetadataURL: metadataURL, challengeScope: challenge["scope"], resource: resource,
      scopesSupported: prm["scopes_supported"] as? [String] ?? [], issuer: issuer,
      authorizationEndpoint: authorize, tokenEndpoint: token, registrationEndpoint: register,
      codeChallengeMethods: asMetadata["code_challenge_methods_supported"] as? [String] ?? [])
  }

  /// RFC 7591 registration of a public native client; returns the `client_id`.
  public func register(_ discovery: OAuthDiscovery, clientName: String = "Latchkey E2E")
    async throws -> String
  {
    let body = """
      {"client_name":"\(clientName)","redirect_uris":["\(redirectURI)"],\
      "token_endpoint_auth_method":"none","application_type":"native",\
      "grant_types":["authorization_code","refresh_token"],"response_types":["code"]}
      """
    let response = try await http.postJSON(discovery.registrationEndpoint, body)
    guard response.status == 201, let clientID = try response.json()["client_id"] as? String
    else { throw OAuthTestError.unexpectedResponse(status: response.status, body: response.text) }
    return clientID
  }

  /// RFC 7591 registration with a client's own metadata document (`json`); returns the
  /// `client_id` and, for a confidential client, the `client_secret`.
  public func register(_ discovery: OAuthDiscovery, json: String) async throws -> (
    clientID: String, clientSecret: String?
  ) {
    let response = try await http.postJSON(discovery.registrationEndpoint, json)
    guard response.status == 201, let clientID = try response.json()["client_id"] as? String
    else { throw OAuthTestError.unexpectedResponse(status: response.status, body: response.text) }
    let secret = try response.json()["client_secret"] as? String
    if let secret { LeakScan.record([secret]) }
    return (clientID, secret)
  }

  /// The front channel: GET the authorization URL, sign in on the login form when shown,
  /// approve on the consent form when shown, and read the redirect's `Location`.
  ///
  /// - Parameters:
  ///   - sendsResource: false for clients that omit RFC 8707 `resource`.
  ///   - prompt: OpenID Connect `prompt`, as some clients send it.
  ///   - redirectURI: overrides the client's default (a port-less registered loopback URI
  ///     is sent with a port, a vendor scheme as registered).
  public func authorize(
    _ discovery: OAuthDiscovery, clientID: String, scope: String, resource: String? = nil,
    sendsResource: Bool = true, prompt: String? = nil, redirectURI: String? = nil,
    username: String, password: String
  ) async throws -> OAuthAuthorization {
    let verifier = SecureRandom.token()
    let state = SecureRandom.token(byteCount: 16)
    let target = resource ?? discovery.resource
    var parameters = [
      ("response_type", "code"), ("client_id", clientID),
      ("redirect_uri", redirectURI ?? self.redirectURI), ("scope", scope), ("state", state),
      ("code_challenge", PKCE.s256Challenge(verifier: verifier)),
      ("code_challenge_method", "S256"),
    ]
    if sendsResource { parameters.append(("resource", target)) }
    if let prompt { parameters.append(("prompt", prompt)) }
    let query = FormEncoding.encode(parameters)
    var response = try await http.get(discovery.authorizationEndpoint + "?" + query)
    var consentPages: [String] = []
    for _ in 0..<4 {
      if [302, 303].contains(response.status) {
        guard let location = response.header("Location") else {
          throw OAuthTestError.missing("Location")
        }
        let parameters = FormEncoding.decode(
          String(location.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""))
        guard let code = parameters["code"] else {
          throw OAuthTestError.unexpectedResponse(status: response.status, body: location)
        }
        return OAuthAuthorization(
          code: code, state: parameters["state"], iss: parameters["iss"],
          codeVerifier: verifier, resource: target, consentPages: consentPages)
      }
      guard let form = HTMLForm(html: response.text) else {
        throw OAuthTestError.noForm(status: response.status, body: response.text)
      }
      let action = try Self.resolve(form.action, against: discovery.authorizationEndpoint)
      if form.hasPasswordField {
        response = try await http.postForm(
          action,
          form.submission(
            replacing: ["username": nil, "password": nil],
            adding: [("username", username), ("password", password)]))
      } else {
        consentPages.append(response.text)
        response = try await http.postForm(
          action, form.submission(adding: [("decision", "approve")]))
      }
    }
    throw OAuthTestError.tooManySteps
  }

  /// How a client authenticates at the token endpoint (RFC 7591 `token_endpoint_auth_method`).
  public enum Authentication: Sendable {
    /// `none`: a public client sends `client_id` only.
    case none
    /// `client_secret_post`: the secret in the form.
    case post(secret: String)
    /// `client_secret_basic`: HTTP Basic with the URL-encoded id and secret (RFC 6749 §2.3.1).
    case basic(secret: String)
  }

  /// `grant_type=authorization_code` with the PKCE verifier and the resource.
  public func exchange(
    _ authorization: OAuthAuthorization, discovery: OAuthDiscovery, clientID: String,
    redirectURI: String? = nil, sendsResource: Bool = true,
    authentication: Authentication = .none
  ) async throws -> OAuthTokens {
    var form = [
      ("grant_type", "authorization_code"), ("code", authorization.code),
      ("redirect_uri", redirectURI ?? self.redirectURI),
      ("code_verifier", authorization.codeVerifier),
    ]
    if sendsResource { form.append(("resource", authorization.resource)) }
    return try await tokenRequest(discovery, form, clientID: clientID, authentication)
  }

  /// `grant_type=refresh_token`; the answer carries the rotated refresh token.
  public func refresh(
    _ refreshToken: String, discovery: OAuthDiscovery, clientID: String,
    sendsResource: Bool = true, authentication: Authentication = .none
  ) async throws -> OAuthTokens {
    var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
    if sendsResource { form.append(("resource", discovery.resource)) }
    return try await tokenRequest(discovery, form, clientID: clientID, authentication)
  }

  private func tokenRequest(
    _ discovery: OAuthDiscovery, _ form: [(String, String)], clientID: String,
    _ authentication: Authentication
  ) async throws -> OAuthTokens {
    var form = form
    var headers = ["Content-Type": "application/x-www-form-urlencoded"]
    switch authentication {
    case .none: form.append(("client_id", clientID))
    case .post(let secret): form += [("client_id", clientID), ("client_secret", secret)]
    case .basic(let secret):
      let pair = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(secret)
      headers["Authorization"] = "Basic " + Data(pair.utf8).base64EncodedString()
    }
    return try OAuthTokens(
      await http.send(
        "POST", discovery.tokenEndpoint, headers: headers,
        body: Data(FormEncoding.encode(form).utf8)))
  }

  static func resolve(_ action: String, against base: String) throws -> String {
    guard let url = URL(string: action, relativeTo: URL(string: base)) else {
      throw OAuthTestError.missing("form action \(action)")
    }
    return url.absoluteString
  }

  /// What a client first sends: an `initialize` request, here without a token.
  public static let initializeRequest =
    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"latchkey-e2e","version":"1"}}}"#
}
