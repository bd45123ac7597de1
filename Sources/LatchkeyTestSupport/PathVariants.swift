/// Spellings of an endpoint path that routers, proxies or attackers may treat as the path
/// itself (security review, issue 21): trailing and doubled slashes, dot segments,
/// percent-encoded letters and slashes, case, `;` parameters, queries.
public enum PathVariants {
  /// The variants of `/mcp`.
  public static let ofMCP = [
    "/mcp", "/mcp/", "//mcp", "/mcp//", "///mcp///", "/./mcp", "/mcp/.", "/x/../mcp",
    "/mcp/x/..", "/%6Dcp", "/%6dcp", "/mcp%2F", "/%2Fmcp", "/%2fmcp%2f", "/MCP", "/Mcp/",
    "/mcp;a=b", "/mcp;", "/mcp?x=1", "/mcp/?x=1", "/mcp#frag", "/%252Fmcp", "/mcp%252F",
    "/.//mcp/./",
  ]

  /// The variants a Hummingbird router (default options) maps to the `/mcp` route: empty
  /// segments are dropped and the query is not part of the path.
  public static let routedByHummingbird: Set<String> = [
    "/mcp", "/mcp/", "//mcp", "/mcp//", "///mcp///", "/mcp?x=1", "/mcp/?x=1",
  ]
}
