import Foundation

/// The requests of `doctor --remote`, read-only: no registration, no credentials, nothing but
/// what an MCP client sends before the user signs in.
struct RemoteProbe {
  /// Bounds of every request.
  static let timeout: TimeInterval = 5
  static let maxBytes = 256 * 1024
  /// The body of the unauthenticated request: an MCP `initialize`.
  static let initialize = #"""
    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\#
    "capabilities":{},"clientInfo":{"name":"latchkey-doctor","version":"1"}}}
    """#
  static let mcpHeaders = [
    "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
  ]

  var target: URL
  var origin: String
  var transport: any RemoteTransport

  func observe() async -> RemoteObservations {
    let challenge = await send("POST", target, headers: Self.mcpHeaders, body: Self.initialize)
    let pathInserted = WellKnownURLs.protectedResourceMetadata(for: target)
    let root = WellKnownURLs.rootProtectedResourceMetadata(for: target)
    var observations = RemoteObservations(
      target: target, origin: origin, challenge: challenge,
      pathInsertedMetadata: await get(pathInserted),
      rootMetadata: root == pathInserted ? nil : await get(root), challengeMetadata: nil,
      authorizationServerDiscovery: [], crossOrigin: [])
    if let named = observations.challengeParameters?["resource_metadata"],
      named != pathInserted, named != root
    {
      observations.challengeMetadata = await get(named)
    }
    if let issuer = URL(string: observations.authorizationServer) {
      for url in WellKnownURLs.authorizationServerMetadata(for: issuer) {
        observations.authorizationServerDiscovery.append(await get(url))
      }
    }
    observations.crossOrigin = await crossOrigin(observations)
    return observations
  }

  /// The requests a browser-based client (MCP Inspector in direct mode) makes across origins.
  private func crossOrigin(_ observations: RemoteObservations) async
    -> [RemoteObservations.CrossOrigin]
  {
    var checks: [RemoteObservations.CrossOrigin] = []
    let metadata = observations.authorizationServerMetadata
    if let metadata {
      checks.append(
        .init(
          name: "as_metadata", side: .authorizationServer, url: metadata.fetch.url,
          method: "GET", requestHeaders: ["mcp-protocol-version"], preflight: .failed("not sent")))
      for (name, member) in [("register", "registration_endpoint"), ("token", "token_endpoint")] {
        if let url = metadata.document.string(member) {
          checks.append(
            .init(
              name: name, side: .authorizationServer, url: url, method: "POST",
              requestHeaders: ["content-type"], preflight: .failed("not sent")))
        }
      }
    }
    if let resourceMetadata = observations.protectedResourceMetadata {
      checks.append(
        .init(
          name: "prm", side: .resource, url: resourceMetadata.fetch.url, method: "GET",
          requestHeaders: ["mcp-protocol-version"], preflight: .failed("not sent")))
    }
    checks.append(
      .init(
        name: "mcp", side: .resource, url: target.absoluteString, method: "POST",
        requestHeaders: ["authorization", "content-type", "mcp-protocol-version"],
        preflight: .failed("not sent"), exposes: ["www-authenticate"]))
    for index in checks.indices {
      guard let url = URL(string: checks[index].url) else {
        checks[index].preflight = .failed("not a URL")
        continue
      }
      checks[index].preflight = await send(
        "OPTIONS", url,
        headers: [
          "Origin": origin, "Access-Control-Request-Method": checks[index].method,
          "Access-Control-Request-Headers": checks[index].requestHeaders.joined(separator: ","),
        ])
      switch checks[index].name {
      case "as_metadata", "prm":
        checks[index].actual = await send("GET", url, headers: ["Origin": origin])
      case "mcp":
        var headers = Self.mcpHeaders
        headers["Origin"] = origin
        checks[index].actual = await send("POST", url, headers: headers, body: Self.initialize)
      default: break
      }
    }
    return checks
  }

  private func get(_ string: String) async -> RemoteObservations.Fetch {
    guard let url = URL(string: string), url.host != nil else {
      return .init(url: string, answer: .failed("not a URL"))
    }
    return .init(
      url: string, answer: await send("GET", url, headers: ["Accept": "application/json"]))
  }

  private func send(
    _ method: String, _ url: URL, headers: [String: String], body: String = ""
  ) async -> RemoteAnswer {
    await transport.send(
      RemoteRequest(method: method, url: url, headers: headers, body: Array(body.utf8)),
      maxBytes: Self.maxBytes, timeout: Self.timeout)
  }
}
