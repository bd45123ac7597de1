public import HTTPTypes

/// CORS for the MCP endpoint and its protected resource metadata (Fetch Standard §3.2), for
/// browser-based MCP clients such as the MCP Inspector (`http://localhost:6274`).
///
/// Only origins `OriginRule` allows get CORS headers (the resource's own and the operator's
/// `allowedOrigins`): the DNS-rebinding protection stays, an origin not allowed is still
/// refused with 403 at the endpoint. The allowed origin is echoed (never `*`, since the endpoint
/// is authenticated) with `Vary: Origin`; `Access-Control-Allow-Credentials` is never sent
/// (bearer tokens travel in `Authorization`, not cookies).
public enum CrossOriginRule {
  /// Request headers MCP clients send on the endpoint (MCP Streamable HTTP; 2026-07-28 adds
  /// `Mcp-Method` and `Mcp-Name`).
  public static let allowedHeaders =
    "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name"
  /// Response headers a browser client must read: the challenge, the session and the version.
  public static let exposedHeaders = "WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version"
  /// Methods of the Streamable HTTP endpoint.
  public static let endpointMethods = "GET, POST, DELETE, OPTIONS"

  /// Whether a request is a CORS preflight: `OPTIONS` with `Origin` and
  /// `Access-Control-Request-Method`.
  public static func isPreflight(method: HTTPRequest.Method, headerFields: HTTPFields) -> Bool {
    method == .options && headerFields[.origin] != nil
      && headerFields[.accessControlRequestMethod] != nil
  }

  /// The headers of a response to an allowed `origin` (nothing without one).
  public static func responseFields(origin: String?) -> HTTPFields {
    guard let origin else { return [:] }
    return [
      .accessControlAllowOrigin: origin, .vary: "Origin",
      .accessControlExposeHeaders: exposedHeaders,
    ]
  }

  /// The headers of a preflight answer for an allowed `origin`, for routes serving `methods`.
  public static func preflightFields(origin: String, methods: String) -> HTTPFields {
    [
      .accessControlAllowOrigin: origin, .vary: "Origin",
      .accessControlAllowMethods: methods, .accessControlAllowHeaders: allowedHeaders,
      .accessControlMaxAge: "86400",
    ]
  }
}
