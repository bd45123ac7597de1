public import Foundation

/// Why a redirect URI cannot be registered.
public enum RedirectURIProblem: Sendable, Equatable {
  case notAbsolute
  case hasFragment
  case hasWildcard
  case insecureHTTP
  case unsupportedScheme
  case containsWhitespace
  /// `user:password@` before the host: deprecated (RFC 3986 §3.2.1) and a phishing aid
  /// (`https://trusted.example@evil.example/`).
  case hasUserinfo
  /// A C0 control character or DEL (RFC 3986 §2 allows none; a NUL would truncate the URI in a
  /// store that binds C strings).
  case containsControlCharacter
}

/// Redirect URI rules for registration and for authorization requests.
public enum RedirectURIRule {
  /// Hosts that name the loopback interface (RFC 8252 §7.3, OAuth 2.1 §8.4.2).
  static let loopbackHosts: Set<String> = ["127.0.0.1", "[::1]", "localhost"]

  /// Schemes a redirect must never use: script execution (`javascript`, `vbscript`), inline or
  /// local content (`data`, `file`, `blob`, `filesystem`, `about`), and WebSockets (`ws`, `wss`:
  /// not a browser navigation target).
  static let forbiddenSchemes: Set<String> = [
    "javascript", "data", "file", "vbscript", "about", "blob", "filesystem", "ws", "wss",
  ]

  /// A private-use scheme that reads like http or https (`httpx`, `https-secure`, `http2`):
  /// refused so a consent page never shows a look-alike of a web address.
  static func isHTTPLookAlike(_ scheme: String) -> Bool {
    scheme.hasPrefix("http") || scheme.hasPrefix("hxxp")
  }

  /// Whether a lower-cased scheme may be a native client's private-use redirect scheme
  /// (RFC 8252 §7.1). RFC 8252 says such schemes SHOULD be reverse-domain names; the deployed
  /// MCP clients do not follow it (`cursor://anysphere.cursor-mcp/…`, `windsurf://…`), so any
  /// scheme outside the deny-list is accepted, and the consent page names it plainly.
  public static func isAllowedPrivateUseScheme(_ scheme: String) -> Bool {
    !forbiddenSchemes.contains(scheme) && !isHTTPLookAlike(scheme) && scheme != "http"
      && scheme != "https"
  }

  /// Validates a redirect URI at registration.
  ///
  /// OAuth 2.1 §2.3.1 / RFC 7591 §2: absolute, no fragment; MCP "Communication Security":
  /// https, or http only on loopback; RFC 8252 §7.1: private-use (custom) schemes for native
  /// apps, any but the deny-list (`isAllowedPrivateUseScheme`). No wildcards anywhere (RFC 9700
  /// §4.1.3).
  /// No whitespace or control characters (RFC 3986 §2: not URI characters).
  public static func validateForRegistration(
    _ uri: String, applicationType: ApplicationType
  ) -> RedirectURIProblem? {
    if uri.contains(where: { $0.isWhitespace }) { return .containsWhitespace }
    if ControlCharacterRule.containsControlCharacter(uri) { return .containsControlCharacter }
    if uri.contains("*") { return .hasWildcard }
    if uri.contains("#") { return .hasFragment }
    guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased()
    else { return .notAbsolute }
    if components.percentEncodedUser != nil || components.percentEncodedPassword != nil {
      return .hasUserinfo
    }
    switch scheme {
    case "https":
      guard let host = components.host, !host.isEmpty else { return .notAbsolute }
      return nil
    case "http":
      guard let host = components.host, !host.isEmpty else { return .notAbsolute }
      return isLoopbackHost(components) ? nil : .insecureHTTP
    default:
      guard applicationType == .native, isAllowedPrivateUseScheme(scheme) else {
        return .unsupportedScheme
      }
      return nil
    }
  }

  /// Whether the URL's host names the loopback interface (RFC 8252 §7.3): `127.0.0.1`, `[::1]`
  /// or `localhost`.
  public static func isLoopbackHost(_ components: URLComponents) -> Bool {
    guard let host = components.percentEncodedHost?.lowercased() else { return false }
    let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    return loopbackHosts.contains(bracketed)
  }

  /// Whether the redirect URI sent in an authorization request matches a registered one.
  ///
  /// OAuth 2.1 §4.1.1 and §2.3.1: simple string comparison (RFC 3986 §6.2.1), except that for
  /// `http` loopback redirect URIs the port is ignored (RFC 8252 §7.3, OAuth 2.1 §8.4.2):
  /// scheme, host, path and query must still be identical.
  public static func matches(requested: String, registered: String) -> Bool {
    if requested == registered { return true }
    guard let lhs = URLComponents(string: requested), let rhs = URLComponents(string: registered),
      lhs.scheme == "http", rhs.scheme == "http", isLoopbackHost(lhs), isLoopbackHost(rhs),
      lhs.percentEncodedHost == rhs.percentEncodedHost, lhs.user == nil, rhs.user == nil,
      lhs.password == nil, rhs.password == nil, lhs.fragment == nil, rhs.fragment == nil
    else { return false }
    return lhs.percentEncodedPath == rhs.percentEncodedPath
      && lhs.percentEncodedQuery == rhs.percentEncodedQuery
  }

  /// The registered redirect URI an authorization request resolves to, or nil.
  ///
  /// OAuth 2.1 §2.3.2: `redirect_uri` may be omitted only when exactly one is registered.
  public static func resolve(requested: String?, registered: [String]) -> String? {
    guard let requested else { return registered.count == 1 ? registered[0] : nil }
    return registered.contains { matches(requested: requested, registered: $0) } ? requested : nil
  }
}
