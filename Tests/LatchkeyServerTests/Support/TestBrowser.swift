import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyTestSupport
import Synchronization

/// A small browser over `app.test(.router)`: keeps cookies, submits the real HTML forms, and
/// walks GET /authorize → login → consent to the redirect back to the client.
final class TestBrowser: Sendable {
  let client: any TestClientProtocol
  /// Sent as `X-Forwarded-For` (the server must trust the test's proxy address) so one test
  /// can play browsers at several source addresses.
  let forwardedFor: String?
  private let jar = Mutex<[String: String]>([:])

  init(client: any TestClientProtocol, forwardedFor: String? = nil) {
    self.client = client
    self.forwardedFor = forwardedFor
  }

  var cookies: [String: String] { jar.withLock { $0 } }

  func setCookie(_ name: String, _ value: String?) {
    jar.withLock { $0[name] = value }
  }

  func get(_ uri: String) async throws -> TestResponse {
    try await send(uri, method: .get, body: nil, contentType: nil)
  }

  func post(_ uri: String, form: [(String, String)]) async throws -> TestResponse {
    try await send(
      uri, method: .post, body: FormEncoding.encode(form),
      contentType: "application/x-www-form-urlencoded")
  }

  func send(_ uri: String, method: HTTPRequest.Method, body: String?, contentType: String?)
    async throws -> TestResponse
  {
    var headers = HTTPFields()
    let cookieHeader = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      .joined(separator: "; ")
    if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
    if let contentType { headers[.contentType] = contentType }
    if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
    let response = try await client.executeRequest(
      uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    LeakScan.observe(
      requestHeaders: headers.map { ($0.name.rawName, $0.value) }, requestBody: body,
      status: Int(response.status.code),
      responseHeaders: response.headers.map { ($0.name.rawName, $0.value) },
      responseBody: Array(response.body.readableBytesView))
    for header in response.headers[values: .setCookie] {
      let pair = header.split(separator: ";", maxSplits: 1)[0]
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else { continue }
      let expired = header.lowercased().contains("max-age=0")
      setCookie(String(parts[0]), expired ? nil : String(parts[1]))
    }
    return response
  }

  /// Submits the page's form with the given replacements and extra fields.
  func submit(_ page: TestResponse, replacing: [String: String?] = [:], adding: [(String, String)])
    async throws -> TestResponse
  {
    let form = try Self.form(in: page)
    return try await post(form.action, form: form.submission(replacing: replacing, adding: adding))
  }

  static func form(in page: TestResponse) throws -> HTMLForm {
    guard let form = HTMLForm(html: String(buffer: page.body)) else {
      throw TestFlowError.noForm(status: page.status.code, body: String(buffer: page.body))
    }
    return form
  }

  /// Runs the whole front channel: GET /authorize, the login form when shown, the consent form
  /// when shown (answering `decision`), and returns the redirect back to the client.
  func authorizationRedirect(
    _ parameters: AuthorizeParameters = AuthorizeParameters(),
    username: String = TestAuthorizationServer.username,
    password: String = TestAuthorizationServer.password, decision: String = "approve"
  ) async throws -> AuthorizationRedirect {
    var response = try await get(parameters.uri)
    for _ in 0..<3 {
      if response.status == .seeOther { return try AuthorizationRedirect(response) }
      let form = try Self.form(in: response)
      if form.hasPasswordField {
        response = try await submit(
          response, replacing: ["username": nil, "password": nil],
          adding: [("username", username), ("password", password)])
      } else {
        response = try await submit(response, adding: [("decision", decision)])
      }
    }
    throw TestFlowError.unexpected(status: response.status.code)
  }

  /// The successful front channel: the `code`, `state` and `iss` of the redirect back to the
  /// client (throws when the redirect carries no code). Redeem with `redeem(code:_:)`.
  func authorize(
    _ parameters: AuthorizeParameters = AuthorizeParameters(),
    username: String = TestAuthorizationServer.username,
    password: String = TestAuthorizationServer.password
  ) async throws -> (code: String, state: String, iss: String) {
    let redirect = try await authorizationRedirect(
      parameters, username: username, password: password)
    guard let code = redirect.query["code"], let iss = redirect.query["iss"] else {
      throw TestFlowError.noCode(redirect.location)
    }
    return (code, redirect.query["state"] ?? "", iss)
  }

  /// `POST /token` with `grant_type=authorization_code` for a code from `parameters`.
  func redeem(code: String, _ parameters: AuthorizeParameters) async throws -> TestResponse {
    var form = [
      ("grant_type", "authorization_code"), ("code", code),
      ("code_verifier", parameters.codeVerifier),
      ("client_id", parameters.clientID ?? TestAuthorizationServer.clientID),
    ]
    if let redirectURI = parameters.redirectURI { form.append(("redirect_uri", redirectURI)) }
    form += parameters.resources.map { ("resource", $0) }
    return try await post("/token", form: form)
  }
}

enum TestFlowError: Error {
  case noForm(status: Int, body: String)
  case unexpected(status: Int)
  case noLocation
  case noCode(String)
}
