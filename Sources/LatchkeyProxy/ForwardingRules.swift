import Foundation
public import HTTPTypes
public import LatchkeyMCP

/// Which header fields cross the proxy, as pure functions over `HTTPFields`.
public enum ForwardingRules {
  /// RFC 9110 §7.6.1: connection-specific fields a proxy must not forward, plus the fields
  /// named in `Connection`. `Proxy-Connection` and `Keep-Alive` are the common non-standard ones.
  static let hopByHop: Set<String> = [
    "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding",
    "upgrade", "proxy-authenticate", "proxy-authorization",
  ]

  /// The identity headers the proxy sets from the verified token; a client-sent field with one
  /// of these names (or any `X-Latchkey-` prefix) is dropped so it cannot be spoofed.
  public enum IdentityHeader {
    public static let subject = "X-Latchkey-Subject"
    public static let clientID = "X-Latchkey-Client-Id"
    public static let scopes = "X-Latchkey-Scopes"
    public static let tokenID = "X-Latchkey-Token-Id"
    public static let issuer = "X-Latchkey-Issuer"
    /// The identity provider's access token of the user (the token vault), when the proxy is
    /// configured with `upstream_token`; never the client's bearer token.
    public static let upstreamToken = "X-Latchkey-Upstream-Token"
    /// The provider that token is from.
    public static let upstreamProvider = "X-Latchkey-Upstream-Provider"
    /// Why no upstream token was sent: `no_upstream_token`, `refresh_failed`, `unreadable`,
    /// `unavailable`.
    public static let upstreamTokenUnavailable = "X-Latchkey-Upstream-Token-Unavailable"
    static let prefix = "x-latchkey-"
  }

  /// Request fields never forwarded upstream besides hop-by-hop ones: the bearer token (RFC 6750
  /// credentials are for this resource server only, MCP "Token Passthrough" forbids passing
  /// them on), `Host` and `Content-Length` (recomputed), `Expect` (the proxy has read the whole
  /// body), cookies (MCP uses none), and forwarding fields the client could forge.
  static let droppedRequestFields: Set<String> = [
    "authorization", "host", "content-length", "expect", "cookie", "forwarded",
    "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
  ]

  /// The fields sent upstream: the client's end-to-end fields minus the dropped ones, then
  /// `Host` = the upstream authority, `X-Forwarded-Host`/`-Proto` from the public resource URL,
  /// `X-Forwarded-For` = the client's address when known, and the verified identity.
  public static func upstreamRequestFields(
    _ incoming: HTTPFields, identity: VerifiedIdentity, upstreamAuthority: String,
    publicHost: String?, publicScheme: String?, clientAddress: String?
  ) -> HTTPFields {
    let connectionTokens = connectionOptions(incoming)
    var fields = HTTPFields()
    for field in incoming {
      let name = field.name.canonicalName
      if hopByHop.contains(name) || connectionTokens.contains(name)
        || droppedRequestFields.contains(name) || name.hasPrefix(IdentityHeader.prefix)
      {
        continue
      }
      fields.append(field)
    }
    set(&fields, "Host", upstreamAuthority)
    if let publicHost { set(&fields, "X-Forwarded-Host", publicHost) }
    if let publicScheme { set(&fields, "X-Forwarded-Proto", publicScheme) }
    if let clientAddress { set(&fields, "X-Forwarded-For", clientAddress) }
    for (name, value) in identityFields(identity) { set(&fields, name, value) }
    return fields
  }

  /// The verified identity as header fields (RFC 9068 §2.2 claims `sub`, `client_id`, `scope`,
  /// `jti`, `iss`); values outside visible ASCII are percent-encoded so no claim can inject a
  /// field (RFC 9110 §5.5).
  public static func identityFields(_ identity: VerifiedIdentity) -> [(String, String)] {
    var result = [(IdentityHeader.subject, fieldValue(identity.subject))]
    if let clientID = identity.clientID {
      result.append((IdentityHeader.clientID, fieldValue(clientID)))
    }
    result.append((IdentityHeader.scopes, fieldValue(identity.scopes.parameter)))
    if let tokenID = identity.tokenID {
      result.append((IdentityHeader.tokenID, fieldValue(tokenID)))
    }
    if let issuer = identity.issuer { result.append((IdentityHeader.issuer, fieldValue(issuer))) }
    return result
  }

  /// The upstream's response fields the client gets: hop-by-hop fields and the ones named in
  /// `Connection` removed (RFC 9110 §7.6.1), `Content-Length` dropped (the body is re-framed),
  /// `Date` dropped (this server sets its own).
  public static func downstreamResponseFields(_ upstream: HTTPFields) -> HTTPFields {
    let connectionTokens = connectionOptions(upstream)
    var fields = HTTPFields()
    for field in upstream {
      let name = field.name.canonicalName
      if hopByHop.contains(name) || connectionTokens.contains(name) || name == "content-length"
        || name == "date"
      {
        continue
      }
      fields.append(field)
    }
    return fields
  }

  /// RFC 9110 §7.6.1: the connection options listed in `Connection`, lower-cased.
  static func connectionOptions(_ fields: HTTPFields) -> Set<String> {
    Set(
      fields[values: .connection].flatMap { $0.split(separator: ",") }.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
      })
  }

  /// Visible ASCII and space pass; every other byte becomes `%XX` (and `%` itself).
  static func fieldValue(_ value: String) -> String {
    var result = ""
    for byte in value.utf8 {
      if (0x20...0x7E).contains(byte), byte != UInt8(ascii: "%") {
        result.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        result += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return result
  }

  /// The upstream token fields: the token and its provider, or why there is none. Set after
  /// `upstreamRequestFields`, which already dropped any client-sent `X-Latchkey-*` field.
  public static func setUpstreamToken(
    _ fields: inout HTTPFields, _ outcome: Result<UpstreamAccessToken, UpstreamTokenUnavailable>
  ) {
    switch outcome {
    case .success(let token):
      set(&fields, IdentityHeader.upstreamToken, token.accessToken)
      set(&fields, IdentityHeader.upstreamProvider, fieldValue(token.provider))
    case .failure(let reason):
      let text =
        switch reason {
        case .noUpstreamToken, .inactiveToken: "no_upstream_token"
        case .refreshFailed: "refresh_failed"
        case .unreadable: "unreadable"
        case .authorizationServerUnavailable: "unavailable"
        }
      set(&fields, IdentityHeader.upstreamTokenUnavailable, text)
    }
  }

  private static func set(_ fields: inout HTTPFields, _ name: String, _ value: String) {
    guard let fieldName = HTTPField.Name(name) else { return }
    fields[fieldName] = value
  }
}
