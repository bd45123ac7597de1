public import LatchkeyMCP

/// Settings of the notes MCP server that `latchkey demo` runs (and docs/embedding.md shows).
public struct NotesConfiguration: Sendable {
  /// Address to bind, e.g. "127.0.0.1".
  public var host: String
  /// Port to bind; 0 picks a free one.
  public var port: Int
  /// The MCP endpoint URL tokens must name in `aud`, e.g. `http://127.0.0.1:8081/mcp`.
  public var resource: String
  /// The authorization server's issuer identifier.
  public var issuer: String
  /// Scope that reads notes (`list_notes`, `read_note`, and starting a session).
  public var readScope: String
  /// Scope that changes notes (`add_note`, `delete_note`).
  public var writeScope: String
  /// Host names (with optional `:port`) allowed in `Host`/`Origin` besides localhost; empty
  /// keeps DNS-rebinding protection to localhost only.
  public var allowedHosts: [String]
  /// `tools/call` per (client, user); `.unlimited` turns the limit off.
  public var toolCallLimit: RateLimit
  /// Browser origins (`scheme://host[:port]`) allowed besides the resource's own origin and
  /// those of `allowedHosts`; requests without `Origin` are always allowed (`OriginRule`).
  public var allowedOrigins: [String]

  public init(
    host: String = "127.0.0.1", port: Int = 8081, resource: String,
    issuer: String, readScope: String = "notes:read", writeScope: String = "notes:write",
    allowedHosts: [String] = [], toolCallLimit: RateLimit = .perMinute(60),
    allowedOrigins: [String] = []
  ) {
    self.host = host
    self.port = port
    self.resource = resource
    self.issuer = issuer
    self.readScope = readScope
    self.writeScope = writeScope
    self.allowedHosts = allowedHosts
    self.toolCallLimit = toolCallLimit
    self.allowedOrigins = allowedOrigins
  }

  /// Every origin the middleware admits besides the resource's own: `allowedOrigins` and the
  /// http/https origins of `allowedHosts`.
  public var browserOrigins: [String] {
    allowedOrigins + allowedHosts.flatMap { ["http://\($0)", "https://\($0)"] }
  }
}
