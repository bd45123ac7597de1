import Foundation

/// What an issuer identifier must look like before the server starts.
public enum IssuerRule {
  /// RFC 8414 §2: the issuer is an https URL with no query or fragment. MCP "Communication
  /// Security" requires https for every AS endpoint; plain http is allowed only on loopback for
  /// development. Returns the problem, or nil when valid.
  public static func validate(_ issuer: String) -> String? {
    guard let components = URLComponents(string: issuer), let scheme = components.scheme,
      let host = components.host, !host.isEmpty
    else { return "issuer must be an absolute URL" }
    guard components.query == nil, components.fragment == nil else {
      return "issuer must not have a query or fragment"
    }
    switch scheme {
    case "https": return nil
    case "http":
      let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
      return loopback ? nil : "issuer must use https (http is allowed only on loopback)"
    default: return "issuer must use https"
    }
  }
}
