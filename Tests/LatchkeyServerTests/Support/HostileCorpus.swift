import Foundation

/// The table of hostile requests (`HostileInputTests`), endpoint by endpoint.
enum HostileCorpus {
  static let client = TestAuthorizationServer.clientID
  static let registered = TestAuthorizationServer.redirectURI
  static let resource = TestAuthorizationServer.resourceURL
  static let strings = HostileStrings.all

  static var all: [HostileRequest] {
    token + revoke + introspect + register + authorizeGET + authorizePOST + discovery
  }

  static func tokenForm(_ extra: [(String, String)]) -> [(String, String)] {
    [("client_id", client)] + extra
  }

  static var token: [HostileRequest] {
    var cases: [HostileRequest] = []
    for (index, value) in strings.enumerated() {
      // A control character is refused before anything is looked up (ControlCharacterRule).
      let control = HostileStrings.hasControlCharacter(value)
      cases.append(
        .form(
          "grant_type \(index)", "/token", tokenForm([("grant_type", value)]), status: 400,
          error: control ? "invalid_request" : "unsupported_grant_type"))
      cases.append(
        .form(
          "client_id \(index)", "/token",
          [("grant_type", "authorization_code"), ("client_id", value), ("code", "x")],
          status: 401, error: "invalid_client"))
      cases.append(
        .form(
          "code \(index)", "/token",
          tokenForm([
            ("grant_type", "authorization_code"), ("code", value),
            ("code_verifier", String(repeating: "v", count: 43)),
            ("redirect_uri", registered),
          ]), status: 400, error: control ? "invalid_request" : "invalid_grant"))
      cases.append(
        .form(
          "refresh_token \(index)", "/token",
          tokenForm([("grant_type", "refresh_token"), ("refresh_token", value)]), status: 400,
          error: control ? "invalid_request" : "invalid_grant"))
    }
    let malformed: [(String, String, String?, Int, String)] = [
      ("no grant_type", "client_id=\(client)", nil, 400, "invalid_request"),
      ("empty body", "", nil, 401, "invalid_client"),
      (
        "duplicate grant_type", "client_id=\(client)&grant_type=a&grant_type=b", nil, 400,
        "invalid_request"
      ),
      (
        "duplicate client_id", "client_id=\(client)&client_id=other&grant_type=refresh_token", nil,
        400, "invalid_request"
      ),
      ("bad percent", "client_id=%zz&grant_type=refresh_token", nil, 400, "invalid_request"),
      ("truncated percent", "client_id=\(client)&grant_type=%4", nil, 400, "invalid_request"),
      ("invalid UTF-8", "client_id=%C3%28&grant_type=refresh_token", nil, 400, "invalid_request"),
      ("overlong UTF-8", "client_id=%C0%AF&grant_type=refresh_token", nil, 400, "invalid_request"),
      ("JSON body", #"{"grant_type":"refresh_token"}"#, "application/json", 400, "invalid_request"),
      (
        "text/plain", "client_id=\(client)&grant_type=refresh_token", "text/plain", 400,
        "invalid_request"
      ),
      ("multipart", "--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 400, "invalid_request"),
      (
        "no content type", "client_id=\(client)&grant_type=refresh_token", nil, 400,
        "invalid_request"
      ),
      (
        "huge body", "client_id=\(client)&pad=" + String(repeating: "a", count: 70_000), nil, 400,
        "invalid_request"
      ),
      (
        "refresh without token", "client_id=\(client)&grant_type=refresh_token", nil, 400,
        "invalid_request"
      ),
      (
        "code without verifier", "client_id=\(client)&grant_type=authorization_code&code=abc", nil,
        400, "invalid_request"
      ),
      ("only separators", "&&&===&", nil, 401, "invalid_client"),
      (
        // Served since issue 25, but not for this (public, authorization-code) client.
        "client_credentials", "client_id=\(client)&grant_type=client_credentials", nil, 400,
        "unauthorized_client"
      ),
      (
        "password grant", "client_id=\(client)&grant_type=password&username=a&password=b", nil, 400,
        "unsupported_grant_type"
      ),
      ("implicit", "client_id=\(client)&grant_type=implicit", nil, 400, "unsupported_grant_type"),
      (
        "secret for public client",
        "client_id=\(client)&client_secret=x&grant_type=refresh_token&refresh_token=x", nil, 401,
        "invalid_client"
      ),
    ]
    for (name, body, contentType, status, error) in malformed {
      var request = HostileRequest.raw(name, "/token", body, status: status, error: error)
      if let contentType { request.contentType = contentType }
      if name == "no content type" { request.contentType = nil }
      cases.append(request)
    }
    let basics = [
      "Basic !!!notbase64", "Basic " + Data("nocolon".utf8).base64EncodedString(),
      "Bearer abc", "Basic ", "Basic " + Data("\(client):".utf8).base64EncodedString(),
      "Basic " + Data("nobody:secret".utf8).base64EncodedString(),
    ]
    for (index, basic) in basics.enumerated() {
      cases.append(
        .form(
          "Authorization \(index)", "/token",
          [("grant_type", "refresh_token"), ("refresh_token", "x")],
          status: 401, error: "invalid_client", headers: [("Authorization", basic)]))
    }
    return cases
  }

  static var revoke: [HostileRequest] {
    strings.enumerated().flatMap { index, value -> [HostileRequest] in
      let control = HostileStrings.hasControlCharacter(value)
      return [
        HostileRequest.form(
          "revoke client_id \(index)", "/revoke", [("client_id", value), ("token", "x")],
          status: 401, error: "invalid_client"),
        // RFC 7009 §2.2: an unknown token is answered 200 and nothing changes; a malformed one
        // (a control character) is invalid_request.
        HostileRequest.form(
          "revoke token \(index)", "/revoke", [("client_id", client), ("token", value)],
          status: control ? 400 : 200, error: control ? "invalid_request" : nil),
      ]
    } + [
      .form(
        "revoke no token", "/revoke", [("client_id", client)], status: 400, error: "invalid_request"
      ),
      .form(
        "revoke duplicate token", "/revoke",
        [("client_id", client), ("token", "a"), ("token", "b")],
        status: 400, error: "invalid_request"),
      .raw(
        "revoke JSON", "/revoke", #"{"token":"x"}"#, contentType: "application/json", status: 400,
        error: "invalid_request"),
    ]
  }

  static var introspect: [HostileRequest] {
    strings.enumerated().flatMap { index, value in
      [
        HostileRequest.form(
          "introspect client_id \(index)", "/introspect", [("client_id", value), ("token", "x")],
          status: 401, error: "invalid_client"),
        // A public client may not introspect, whatever the token; a control character is
        // refused before the client is looked up.
        HostileRequest.form(
          "introspect public \(index)", "/introspect", [("client_id", client), ("token", value)],
          status: HostileStrings.hasControlCharacter(value) ? 400 : 401,
          error: HostileStrings.hasControlCharacter(value) ? "invalid_request" : "invalid_client"),
      ]
    }
  }

  static func json(_ value: String) -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: [value], options: [])) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  static var register: [HostileRequest] {
    var cases: [HostileRequest] = []
    for (index, value) in strings.enumerated() {
      cases.append(
        .raw(
          "register redirect \(index)", "/register",
          #"{"client_name":"x","token_endpoint_auth_method":"none","redirect_uris":\#(json(value))}"#,
          contentType: "application/json", status: 400, error: "invalid_redirect_uri"))
      cases.append(
        .raw(
          "register name \(index)", "/register",
          #"{"client_name":\#(json(value).dropFirst().dropLast()),"redirect_uris":["https://a.example/cb"],"grant_types":["implicit"]}"#,
          contentType: "application/json", status: 400, error: "invalid_client_metadata"))
    }
    let redirects = [
      "https://user:pass@evil.example/cb", "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd", "vbscript:msgbox(1)", "http://evil.example/cb",
      "http://127.0.0.1.evil.example/cb", "https://*.evil.example/cb", "//evil.example/cb",
      "/relative/cb", "https://a.example/cb#frag", "https://a.example/ cb", "about:blank",
    ]
    for (index, redirect) in redirects.enumerated() {
      cases.append(
        .raw(
          "register bad redirect \(index)", "/register",
          #"{"client_name":"x","token_endpoint_auth_method":"none","redirect_uris":\#(json(redirect))}"#,
          contentType: "application/json", status: 400, error: "invalid_redirect_uri"))
    }
    let bodies: [(String, String, String?)] = [
      ("not JSON", "client_name=x", "application/json"),
      ("array", "[]", "application/json"),
      ("null", "null", "application/json"),
      ("number", "42", "application/json"),
      ("string", #""x""#, "application/json"),
      ("truncated", #"{"client_name":"#, "application/json"),
      (
        "nested arrays",
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        "application/json"
      ),
      (
        "nested objects",
        String(repeating: #"{"a":"#, count: 5_000) + "1" + String(repeating: "}", count: 5_000),
        "application/json"
      ),
      ("redirect_uris not array", #"{"redirect_uris":"https://a.example/cb"}"#, "application/json"),
      ("redirect_uris numbers", #"{"redirect_uris":[1,2]}"#, "application/json"),
      (
        "form body", "client_name=x&redirect_uris=https://a.example/cb",
        "application/x-www-form-urlencoded"
      ),
      ("text/plain", #"{"redirect_uris":["https://a.example/cb"]}"#, "text/plain"),
      ("no content type", #"{"redirect_uris":["https://a.example/cb"]}"#, nil),
      (
        "huge", #"{"client_name":""# + String(repeating: "a", count: 70_000) + #""}"#,
        "application/json"
      ),
      ("invalid UTF-8", "{\"client_name\":\"\u{FFFD}\"", "application/json"),
      (
        "private_key_jwt",
        #"{"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}"#,
        "application/json"
      ),
    ]
    for (name, body, contentType) in bodies {
      let error =
        name == "redirect_uris numbers" ? "invalid_client_metadata" : "invalid_client_metadata"
      cases.append(
        .raw(
          "register \(name)", "/register", body, contentType: contentType, status: 400, error: error
        ))
    }
    return cases
  }

  static func authorizeURI(_ changes: [String: String?]) -> String {
    var parameters = AuthorizeParameters()
    for (name, value) in changes {
      switch name {
      case "client_id": parameters.clientID = value
      case "redirect_uri": parameters.redirectURI = value
      case "scope": parameters.scope = value
      case "state": parameters.state = value
      case "response_type": parameters.responseType = value
      case "code_challenge": parameters.codeChallenge = value
      case "code_challenge_method": parameters.codeChallengeMethod = value
      case "resource": parameters.resources = value.map { [$0] } ?? []
      default: break
      }
    }
    return parameters.uri
  }

  static let openRedirects = [
    "https://evil.example/callback", "http://127.0.0.1.evil.example:51234/callback",
    "http://evil@127.0.0.1:51234/callback", "http://127.0.0.1:51234@evil.example/callback",
    "http://127.0.0.1:51234/callback/../evil", "http://127.0.0.1:51234/callback%2F..%2Fevil",
    "//evil.example/callback", "http://127.0.0.1:51234/callback#@evil.example",
    "http://127.0.0.1:51234/callback?next=https://evil.example",
    "http://127.0.0.1:51234\\@evil.example/callback",
    "http://０x7f.0.0.1:51234/callback", "http://2130706433:51234/callback",
    "http://127.1:51234/callback", "http://[::ffff:127.0.0.1]:51234/callback",
    "javascript://127.0.0.1:51234/callback%0aalert(1)", "data:text/html,<script>alert(1)</script>",
    "http://127.0.0.1:51234/callback\r\nLocation: https://evil.example",
    "HTTP://127.0.0.1:51234/callback", "http://127.0.0.1:51234/CALLBACK",
    "http://xn--80ak6aa92e.com/callback",
  ]

  static var authorizeGET: [HostileRequest] {
    var cases: [HostileRequest] = []
    for (index, redirect) in openRedirects.enumerated() {
      cases.append(
        .get("open redirect \(index)", authorizeURI(["redirect_uri": redirect]), status: 400))
      cases.append(
        .get(
          "open redirect with bad response_type \(index)",
          authorizeURI(["redirect_uri": redirect, "response_type": "token"]), status: 400))
    }
    for (index, value) in strings.enumerated() {
      cases.append(
        .get("authorize client_id \(index)", authorizeURI(["client_id": value]), status: 400))
      cases.append(
        .get(
          "authorize reflected state \(index)",
          authorizeURI(["client_id": "nobody", "state": value]), status: 400))
      // Errors after the client and redirect URI are known go back to the client (303); a
      // control character anywhere is an error page before any lookup (400).
      let status = HostileStrings.hasControlCharacter(value) ? 400 : 303
      // Scope values the resource does not offer are dropped (issue 24: grant the known
      // subset), so a well-formed hostile value leads to the login page with nothing granted;
      // a malformed one (a quote, a backslash, non-ASCII) is `invalid_scope` (303).
      let scopeIsWellFormed = value.unicodeScalars.allSatisfy { scalar in
        (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\"
      }
      cases.append(
        .get(
          "authorize scope \(index)", authorizeURI(["scope": value]),
          status: HostileStrings.hasControlCharacter(value) ? 400 : (scopeIsWellFormed ? 200 : 303))
      )
      cases.append(
        .get(
          "authorize response_type \(index)", authorizeURI(["response_type": value]),
          status: status))
      cases.append(
        .get(
          "authorize challenge method \(index)", authorizeURI(["code_challenge_method": value]),
          status: status))
    }
    cases.append(.get("authorize no PKCE", authorizeURI(["code_challenge": nil]), status: 303))
    cases.append(
      .get("authorize plain PKCE", authorizeURI(["code_challenge_method": "plain"]), status: 303))
    cases.append(
      .get("authorize token in query", authorizeURI([:]) + "&access_token=abc", status: 200))
    cases.append(
      .get("authorize duplicate client_id", authorizeURI([:]) + "&client_id=other", status: 400))
    return cases
  }

  /// Form POSTs without the CSRF cookie a real page would have set: always a 403 page.
  static var authorizePOST: [HostileRequest] {
    strings.enumerated().map { index, value in
      HostileRequest.form(
        "login without CSRF \(index)", "/authorize",
        AuthorizeParameters().pairs + [
          ("username", value), ("password", value), ("csrf_token", value),
        ], status: 403, error: nil)
    } + [
      .form(
        "consent without CSRF", "/authorize",
        AuthorizeParameters().pairs + [("decision", "approve")], status: 403, error: nil)
    ]
  }

  static var discovery: [HostileRequest] {
    [
      HostileRequest(
        name: "POST metadata", uri: "/.well-known/oauth-authorization-server", status: 404),
      HostileRequest(name: "POST jwks", uri: "/jwks.json", status: 404),
      .get("jwks traversal", "/jwks.json/../../etc/passwd", status: 404),
      .get("kid traversal", "/jwks/../../etc/passwd", status: 404),
      .get("metadata suffix", "/.well-known/oauth-authorization-server/evil", status: 404),
      .get("GET token", "/token?grant_type=refresh_token&refresh_token=x", status: 404),
      .get("GET register", "/register", status: 404),
      .get("GET revoke", "/revoke?token=x", status: 404),
    ]
  }
}
