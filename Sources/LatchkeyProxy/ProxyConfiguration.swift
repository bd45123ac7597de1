public import Foundation
public import LatchkeyCore
public import LatchkeyMCP

/// Everything `latchkey proxy` reads from its JSON file (docs/cli.md, docs/embedding.md); flags
/// override it. Secrets never live here (the introspection client secret comes from the
/// environment).
///
/// Defaults are written once, in the property initialisers; the decoder starts from them and
/// refuses a key it does not know (`ConfigurationProblem.unknownKey`), nested ones included.
public struct ProxyConfiguration: Sendable, Codable, Equatable {
  /// `host:port` to listen on, e.g. `127.0.0.1:8090` or `[::1]:8090`.
  public var listen: String = "127.0.0.1:8090"
  /// The upstream MCP endpoint, plain http, e.g. `http://127.0.0.1:9000/mcp`.
  public var upstream: String
  /// The public MCP endpoint URL clients use and tokens name in `aud`.
  public var resource: String
  /// The authorization server's issuer identifier, exactly.
  public var issuer: String
  /// Base scopes: needed by every request (`initialize`, `tools/list`, GET, DELETE).
  public var scopes: String = ""
  /// Extra scopes per tool for `tools/call`, space-separated.
  public var toolScopes: [String: String] = [:]
  /// Extra scopes for a `tools/call` of a tool not in `toolScopes`.
  public var unlistedToolScopes: String = ""
  /// A held scope implies these (e.g. `"notes:write": "notes:read"`).
  public var impliedScopes: [String: String] = [:]
  /// `tools/call` per minute per (client, user); 0 turns the limit off.
  public var toolCallsPerMinute: Int = 60
  /// Per-tool limits replacing the default for that tool.
  public var toolCallsPerMinuteByTool: [String: Int] = [:]
  /// PRM `resource_name`.
  public var resourceName: String?
  /// The issuer's JWKS URL; discovered from its RFC 8414 metadata when absent.
  public var jwksURI: String?
  /// Clock skew allowed for `exp`/`nbf`/`iat`, seconds.
  public var leewaySeconds: Int = 30
  /// Time allowed until the upstream's response head, seconds.
  public var upstreamTimeoutSeconds: Int = 60
  /// POST bodies above this get 413.
  public var maximumBodyBytes: Int = 1 << 20
  /// Text or JSON lines on stderr.
  public var logFormat = LogFormat.text
  /// Browser origins allowed besides the resource's own (a request with another `Origin` gets
  /// 403 before its token is looked at; requests without `Origin` are unaffected).
  public var allowedOrigins: [String] = []
  /// RFC 7662 introspection instead of offline JWT verification (opaque tokens).
  public var introspection: IntrospectionSettings?
  /// Send the user's identity-provider token upstream in `X-Latchkey-Upstream-Token`, read
  /// from Latchkey's token vault (docs/identity-providers.md); off when nil.
  public var upstreamToken: UpstreamTokenSettings?

  public init(upstream: String, resource: String, issuer: String) {
    self.upstream = upstream
    self.resource = resource
    self.issuer = issuer
  }

  /// How to read upstream tokens from Latchkey's `POST /upstream-token` as a confidential
  /// client listed in its `token_vault.readers`; the secret is read from
  /// `LATCHKEY_PROXY_CLIENT_SECRET`.
  public struct UpstreamTokenSettings: Sendable, Codable, Equatable {
    public var clientID: String
    /// Default: `<issuer>/upstream-token`.
    public var endpoint: String?

    public init(clientID: String, endpoint: String? = nil) {
      self.clientID = clientID
      self.endpoint = endpoint
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case endpoint
      case clientID = "client_id"
    }

    static let shape = ConfigurationShape.fields(CodingKeys.self)

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      try decoder.refuseUnknownKeys(besides: CodingKeys.self)
      var value = UpstreamTokenSettings(clientID: try c.decode(String.self, forKey: .clientID))
      try c.decode(.endpoint, into: &value, at: \.endpoint)
      self = value
    }

    /// The endpoint URL for a proxy of `issuer`.
    public func endpointURL(issuer: String) -> URL? {
      URL(
        string: endpoint ?? (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer)
          + "/upstream-token")
    }
  }

  /// How to reach the AS's introspection endpoint; the secret is read from
  /// `LATCHKEY_PROXY_CLIENT_SECRET`.
  public struct IntrospectionSettings: Sendable, Codable, Equatable {
    public var endpoint: String
    public var clientID: String
    /// Positive answers are reused this long (never past the token's `exp`).
    public var cacheSeconds: Int = 30

    public init(endpoint: String, clientID: String, cacheSeconds: Int = 30) {
      self.endpoint = endpoint
      self.clientID = clientID
      self.cacheSeconds = cacheSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case endpoint
      case clientID = "client_id"
      case cacheSeconds = "cache_seconds"
    }

    /// Every key `introspection` accepts.
    static let shape = ConfigurationShape.fields(CodingKeys.self)

    /// `endpoint` and `client_id` are required; `cache_seconds` keeps its default when absent.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      try decoder.refuseUnknownKeys(besides: CodingKeys.self)
      var value = IntrospectionSettings(
        endpoint: try c.decode(String.self, forKey: .endpoint),
        clientID: try c.decode(String.self, forKey: .clientID))
      try c.decode(.cacheSeconds, into: &value, at: \.cacheSeconds)
      self = value
    }
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case listen, upstream, resource, issuer, scopes, introspection
    case upstreamToken = "upstream_token"
    case toolScopes = "tool_scopes"
    case unlistedToolScopes = "unlisted_tool_scopes"
    case impliedScopes = "implied_scopes"
    case toolCallsPerMinute = "tool_calls_per_minute"
    case toolCallsPerMinuteByTool = "tool_calls_per_minute_by_tool"
    case resourceName = "resource_name"
    case jwksURI = "jwks_uri"
    case leewaySeconds = "leeway_seconds"
    case upstreamTimeoutSeconds = "upstream_timeout_seconds"
    case maximumBodyBytes = "maximum_body_bytes"
    case logFormat = "log_format"
    case allowedOrigins = "allowed_origins"
  }

  /// Every key the file accepts, for the documentation check.
  static let shape = ConfigurationShape.fields(
    CodingKeys.self,
    nested: [
      .introspection: IntrospectionSettings.shape, .upstreamToken: UpstreamTokenSettings.shape,
    ])

  /// Every key is optional here: `upstream`, `resource` and `issuer` may come from flags
  /// (`problem()` refuses them empty).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = ProxyConfiguration(upstream: "", resource: "", issuer: "")
    try c.decode(.upstream, into: &value, at: \.upstream)
    try c.decode(.resource, into: &value, at: \.resource)
    try c.decode(.issuer, into: &value, at: \.issuer)
    try c.decode(.listen, into: &value, at: \.listen)
    try c.decode(.scopes, into: &value, at: \.scopes)
    try c.decode(.toolScopes, into: &value, at: \.toolScopes)
    try c.decode(.unlistedToolScopes, into: &value, at: \.unlistedToolScopes)
    try c.decode(.impliedScopes, into: &value, at: \.impliedScopes)
    try c.decode(.toolCallsPerMinute, into: &value, at: \.toolCallsPerMinute)
    try c.decode(.toolCallsPerMinuteByTool, into: &value, at: \.toolCallsPerMinuteByTool)
    try c.decode(.leewaySeconds, into: &value, at: \.leewaySeconds)
    try c.decode(.upstreamTimeoutSeconds, into: &value, at: \.upstreamTimeoutSeconds)
    try c.decode(.maximumBodyBytes, into: &value, at: \.maximumBodyBytes)
    try c.decode(.allowedOrigins, into: &value, at: \.allowedOrigins)
    try c.decode(.resourceName, into: &value, at: \.resourceName)
    try c.decode(.jwksURI, into: &value, at: \.jwksURI)
    try c.decode(.introspection, into: &value, at: \.introspection)
    try c.decode(.upstreamToken, into: &value, at: \.upstreamToken)
    value.logFormat = try c.decodeChoice(.logFormat) ?? value.logFormat
    self = value
  }

  /// Reads a JSON file.
  /// - Throws: `ConfigurationFileError` naming the file and, for a bad key or value, its path.
  public static func load(path: String) throws(ConfigurationFileError) -> ProxyConfiguration {
    try ConfigurationFile.load(ProxyConfiguration.self, path: path)
  }

  /// The first problem that makes this configuration unusable, as one sentence; nil when fine.
  public func problem() -> String? {
    if ListenAddress(listen) == nil { return "listen must be host:port, e.g. 127.0.0.1:8090" }
    if UpstreamTarget(upstream) == nil {
      return "upstream must be an http:// URL without query, e.g. http://127.0.0.1:9000/mcp"
    }
    if WellKnownLocation.parseResource(resource) == nil {
      return "resource must be the public http(s) URL of the MCP endpoint"
    }
    if WellKnownLocation.parseResource(issuer) == nil { return "issuer must be an http(s) URL" }
    for (name, text) in [("scopes", scopes), ("unlisted_tool_scopes", unlistedToolScopes)]
    where ScopeSet(parameter: text) == nil {
      return "\(name) must be space-separated scope tokens"
    }
    for (tool, text) in toolScopes.merging(impliedScopes, uniquingKeysWith: { a, _ in a })
    where ScopeSet(parameter: text) == nil || tool.isEmpty {
      return "tool_scopes and implied_scopes map names to space-separated scopes"
    }
    if toolCallsPerMinute < 0 || toolCallsPerMinuteByTool.values.contains(where: { $0 < 1 }) {
      return "tool_calls_per_minute must be 0 (no limit) or more; per-tool limits 1 or more"
    }
    if leewaySeconds < 0 || upstreamTimeoutSeconds < 1 || maximumBodyBytes < 1 {
      return "leeway_seconds, upstream_timeout_seconds and maximum_body_bytes must be positive"
    }
    if (try? protection()) == nil {
      return "allowed_origins must be origins like https://app.example.com (or null)"
    }
    if let introspection, URL(string: introspection.endpoint)?.scheme == nil {
      return "introspection.endpoint must be an absolute URL"
    }
    if let upstreamToken {
      if upstreamToken.clientID.isEmpty { return "upstream_token.client_id must not be empty" }
      if upstreamToken.endpointURL(issuer: issuer)?.scheme == nil {
        return "upstream_token.endpoint must be an absolute URL"
      }
    }
    return nil
  }

  /// The middleware's view of this configuration.
  public func protection() throws -> ProtectedResourceConfiguration {
    let parse = { (text: String) in ScopeSet(parameter: text) ?? .empty }
    let policy = ScopePolicy(
      baseScopes: parse(scopes), toolScopes: toolScopes.mapValues(parse),
      unlistedToolScopes: parse(unlistedToolScopes), impliedScopes: impliedScopes.mapValues(parse))
    return try ProtectedResourceConfiguration(
      resource: resource, issuer: issuer, scopePolicy: policy, resourceName: resourceName,
      maximumBodyBytes: maximumBodyBytes,
      toolCallLimit: toolCallsPerMinute > 0 ? .perMinute(toolCallsPerMinute) : .unlimited,
      toolCallLimits: toolCallsPerMinuteByTool.mapValues { .perMinute($0) },
      allowedOrigins: allowedOrigins)
  }
}

/// `host:port`, with IPv6 hosts in brackets.
public struct ListenAddress: Sendable, Equatable {
  public var host: String
  public var port: Int

  public init?(_ text: String) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65535).contains(port)
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { return nil }
    self.host = host
    self.port = port
  }
}
