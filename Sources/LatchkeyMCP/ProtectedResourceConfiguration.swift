public import LatchkeyCore

/// What the middleware protects and how.
public struct ProtectedResourceConfiguration: Sendable {
  /// The MCP endpoint URL, exactly as clients use it and as tokens name it in `aud`
  /// (RFC 8707, MCP "Canonical Server URI"), e.g. `https://notes.example.com/mcp`.
  public let resource: String
  /// The authorization server's issuer identifier, exactly (RFC 8414 §2).
  public let issuer: String
  /// PRM `scopes_supported`; defaults to every scope the policy mentions.
  public var scopesSupported: [String]
  /// PRM `resource_name`.
  public var resourceName: String?
  /// Per-method and per-tool scope requirements.
  public var scopePolicy: ScopePolicy
  /// The `scope` of a 401 challenge: what a client needs to start (MCP "Scope Selection");
  /// defaults to the policy's base scopes.
  public var challengeScopes: ScopeSet
  /// POST bodies larger than this are refused with 413 before anything parses them.
  public var maximumBodyBytes: Int
  /// `tools/call` limit per (client_id, sub).
  public var toolCallLimit: RateLimit
  /// Per-tool limits that replace the default for that tool.
  public var toolCallLimits: [String: RateLimit]
  /// Browser origins (`scheme://host[:port]`) allowed to call the endpoint besides the
  /// resource's own origin; requests without `Origin` are always allowed (`OriginRule`,
  /// DNS-rebinding protection). `null` admits `Origin: null`.
  public var allowedOrigins: [String]

  /// The endpoint's path, e.g. `/mcp`.
  public let endpointPath: String
  /// RFC 9728 §3.1 path of the metadata document, e.g.
  /// `/.well-known/oauth-protected-resource/mcp`.
  public let metadataPath: String
  /// The absolute metadata URL that challenges carry in `resource_metadata`.
  public let metadataURL: String
  /// `scheme://host[:port]` of `resource`: the one browser origin allowed without listing.
  public let resourceOrigin: String
  /// The host of `resource`, lower-cased; when it is a loopback name, requests must name a
  /// loopback `Host` too (`LoopbackHostRule`).
  public let resourceHost: String
  /// `LoopbackHostRule.isLoopback(host:)` of `resourceHost`, decided once.
  public let resourceHostIsLoopback: Bool

  /// Throws `ConfigurationError.invalidResource` unless `resource` is an absolute http(s)
  /// URL without query or fragment.
  public init(
    resource: String, issuer: String, scopePolicy: ScopePolicy,
    scopesSupported: [String]? = nil, resourceName: String? = nil,
    challengeScopes: ScopeSet? = nil, maximumBodyBytes: Int = 1 << 20,
    toolCallLimit: RateLimit = .perMinute(60), toolCallLimits: [String: RateLimit] = [:],
    allowedOrigins: [String] = []
  ) throws(ConfigurationError) {
    guard let parsed = WellKnownLocation.parseResource(resource) else {
      throw .invalidResource(resource)
    }
    self.resource = resource
    self.issuer = issuer
    self.scopePolicy = scopePolicy
    self.scopesSupported =
      scopesSupported ?? Self.mentionedScopes(scopePolicy).filter { $0 != "offline_access" }
    self.resourceName = resourceName
    self.challengeScopes = challengeScopes ?? scopePolicy.baseScopes
    self.maximumBodyBytes = maximumBodyBytes
    self.toolCallLimit = toolCallLimit
    self.toolCallLimits = toolCallLimits
    for origin in allowedOrigins where origin != "null" && OriginRule.serialized(origin) == nil {
      throw .invalidOrigin(origin)
    }
    self.allowedOrigins = allowedOrigins
    self.resourceOrigin = parsed.origin
    let authority = parsed.origin.range(of: "://").map { parsed.origin[$0.upperBound...] } ?? ""
    self.resourceHost = LoopbackHostRule.host(ofAuthority: String(authority)) ?? ""
    self.resourceHostIsLoopback = LoopbackHostRule.isLoopback(host: resourceHost)
    self.endpointPath = parsed.path
    self.metadataPath = WellKnownLocation.protectedResourceMetadataPath(
      forResourcePath: parsed.path)
    self.metadataURL = WellKnownLocation.protectedResourceMetadataURL(for: parsed)
  }

  /// The RFC 9728 document served at `metadataPath`.
  public var metadata: ProtectedResourceMetadata {
    ProtectedResourceMetadata(
      resource: resource, authorizationServers: [issuer], scopesSupported: scopesSupported,
      bearerMethodsSupported: ["header"], resourceName: resourceName)
  }

  static func mentionedScopes(_ policy: ScopePolicy) -> [String] {
    var all = policy.baseScopes.union(policy.unlistedToolScopes)
    for scopes in policy.methodScopes.values { all = all.union(scopes) }
    for scopes in policy.toolScopes.values { all = all.union(scopes) }
    return all.tokens
  }

  /// A configuration that cannot work.
  public enum ConfigurationError: Error, Sendable, Equatable {
    case invalidResource(String)
    /// An allow-listed origin that is not `scheme://host[:port]` (http or https) or `null`.
    case invalidOrigin(String)
  }
}
