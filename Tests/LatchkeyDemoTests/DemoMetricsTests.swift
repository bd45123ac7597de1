import Foundation
import LatchkeyCommands
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

/// Prometheus metrics of `latchkey demo` (both servers) scraped from the real metrics listener
/// after real traffic. Each test has its own `MetricsExporter` registry, so values are exact.
@Suite("Demo: Prometheus metrics")
struct DemoMetricsTests {
  @Test func trafficShowsUpAsExactSeriesOnTheMetricsListener() async throws {
    let directory = DemoHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var options = DemoHarness.options(directory: directory, toolCallsPerMinute: 2)
    options.metricsListen = "127.0.0.1:0"
    let runtime = try await DemoRuntime.start(
      options, logger: DemoHarness.quietLogger, metrics: MetricsExporter())
    do {
      try await drive(runtime)
    } catch {
      try? await runtime.stop()
      throw error
    }
    try await runtime.stop()
  }

  private func drive(_ runtime: DemoRuntime) async throws {
    let metricsURL = try #require(runtime.metricsURL)
    let http = TestHTTPClient()
    // Counters are created at start: a scrape before any traffic already lists them at 0.
    let before = PrometheusScrape(try await http.get(metricsURL).text)
    #expect(before[#"latchkey_tokens_issued_total{grant_type="authorization_code"}"#] == 0)
    #expect(before[#"latchkey_mcp_verifications_total{outcome="valid"}"#] == 0)
    #expect(before["latchkey_sqlite_busy_retries_total"] == 0)

    // A token request (and, on the way, one 401 without a token during discovery).
    let signedIn = try await DemoHarness.signIn(runtime, scope: "notes:read notes:write")
    let token = signedIn.tokens.accessToken
    // A failed login.
    let login = try await wrongPassword(runtime, signedIn)
    #expect(login.status == 200)
    #expect(login.text.contains("Wrong username or password."))
    // 401s at the MCP endpoint: no token, and a token that is not a JWT.
    let noToken = try await http.postJSON(
      runtime.mcpURL, OAuthTestClient.initializeRequest,
      headers: ["Accept": "application/json, text/event-stream"])
    #expect(noToken.status == 401)
    let bogus = try await http.postJSON(
      runtime.mcpURL, OAuthTestClient.initializeRequest,
      headers: [
        "Authorization": "Bearer not-a-jwt", "Accept": "application/json, text/event-stream",
      ])
    #expect(bogus.status == 401)
    // Three tool calls over a limit of two: the third is rate-limited.
    let session = try await DemoHarness.rawSession(runtime, token: token)
    var statuses: [Int] = []
    for id in 1...3 {
      statuses.append(
        try await DemoHarness.rawToolCall(
          runtime, token: token, tool: "list_notes", session: session, id: id
        ).status)
    }
    #expect(statuses == [200, 200, 429])
    // A refresh, a refused registration and an unknown path.
    let refreshed = try await signedIn.client.refresh(
      try #require(signedIn.tokens.refreshToken), discovery: signedIn.discovery,
      clientID: signedIn.clientID)
    #expect(!refreshed.accessToken.isEmpty)
    let refused = try await http.postJSON(signedIn.discovery.registrationEndpoint, "[1]")
    #expect(refused.status == 400)
    #expect(try await http.get(runtime.issuerURL + "/no-such-endpoint").status == 404)

    let response = try await http.get(metricsURL)
    #expect(response.status == 200)
    #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
    let after = PrometheusScrape(response.text)
    let expected: [String: Double] = [
      #"latchkey_tokens_issued_total{grant_type="authorization_code"}"#: 1,
      #"latchkey_tokens_issued_total{grant_type="refresh_token"}"#: 1,
      #"latchkey_login_failures_total{reason="invalid_credentials"}"#: 1,
      #"latchkey_login_failures_total{reason="throttled"}"#: 0,
      #"latchkey_registration_rejections_total{reason="invalid_client_metadata"}"#: 1,
      #"latchkey_refresh_token_reuse_detected_total"#: 0,
      #"latchkey_http_requests_total{route="/token",method="POST",status="200"}"#: 2,
      #"latchkey_http_requests_total{route="/register",method="POST",status="201"}"#: 1,
      #"latchkey_http_requests_total{route="/register",method="POST",status="400"}"#: 1,
      #"latchkey_http_requests_total{route="unmatched",method="GET",status="404"}"#: 1,
      #"latchkey_http_request_duration_seconds_count{route="/token",method="POST"}"#: 2,
      // discovery's first request and the explicit one without a token
      #"latchkey_mcp_verifications_total{outcome="missing_token"}"#: 2,
      #"latchkey_mcp_verifications_total{outcome="invalid_token"}"#: 1,
      // initialize and three tool calls (the third passes verification, then is limited)
      #"latchkey_mcp_verifications_total{outcome="valid"}"#: 4,
      #"latchkey_mcp_verifications_total{outcome="expired"}"#: 0,
      #"latchkey_mcp_verification_duration_seconds_count"#: 5,
      #"latchkey_mcp_tool_calls_rate_limited_total"#: 1,
      #"latchkey_mcp_token_cache_lookups_total{result="miss"}"#: 2,
      #"latchkey_mcp_token_cache_lookups_total{result="hit"}"#: 3,
      #"latchkey_mcp_jwks_lookups_total{result="miss"}"#: 1,
      #"latchkey_mcp_jwks_lookups_total{result="hit"}"#: 1,
      #"latchkey_mcp_jwks_refreshes_total{outcome="success"}"#: 1,
      #"latchkey_mcp_jwks_refreshes_total{outcome="failure"}"#: 0,
      #"latchkey_sqlite_busy_retries_total"#: 0,
      #"latchkey_sqlite_busy_timeouts_total"#: 0,
    ]
    for (series, value) in expected.sorted(by: { $0.key < $1.key }) {
      #expect(after[series] == value, "\(series)")
    }
    #expect(
      (after[#"latchkey_http_requests_total{route="/healthz",method="GET",status="200"}"#] ?? 0)
        >= 1)
    let types = after.types
    #expect(types["latchkey_http_request_duration_seconds"] == "histogram")
    #expect(types["latchkey_mcp_verification_duration_seconds"] == "histogram")
    #expect(types["latchkey_tokens_issued_total"] == "counter")
    // Low-cardinality labels only: no client id, subject or token in any series.
    for secret in [signedIn.clientID, token, DemoHarness.username, "not-a-jwt"] {
      #expect(!after.text.contains(secret))
    }
    #expect(!after.text.contains("no-such-endpoint"))
  }

  /// One login form submission with a wrong password, through the real `/authorize` page.
  private func wrongPassword(_ runtime: DemoRuntime, _ signedIn: SignedIn) async throws
    -> TestHTTPResponse
  {
    let browser = TestHTTPClient()
    let query = FormEncoding.encode([
      ("response_type", "code"), ("client_id", signedIn.clientID),
      ("redirect_uri", signedIn.client.redirectURI), ("scope", "notes:read"), ("state", "s"),
      ("code_challenge", PKCE.s256Challenge(verifier: SecureRandom.token())),
      ("code_challenge_method", "S256"), ("resource", runtime.mcpURL),
    ])
    let page = try await browser.get(signedIn.discovery.authorizationEndpoint + "?" + query)
    let form = try #require(HTMLForm(html: page.text))
    #expect(form.hasPasswordField)
    let action = form.action.hasPrefix("http") ? form.action : runtime.issuerURL + form.action
    return try await browser.postForm(
      action,
      form.submission(
        replacing: ["username": nil, "password": nil],
        adding: [("username", DemoHarness.username), ("password", "wrong password 123")]))
  }

  @Test func withoutMetricsThereIsNoListenerAndNoMetricsPath() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      #expect(runtime.metricsURL == nil)
      let response = try await TestHTTPClient().get(runtime.issuerURL + "/metrics")
      #expect(response.status == 404)
    }
  }
}
