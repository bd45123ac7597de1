import Foundation
public import LatchkeyMCP
import MCP

/// How the glue hands the verified identity to swift-sdk tool handlers: an internal request
/// header set from the middleware's verified identity. The glue removes any copy a client sent,
/// so handlers can trust it when (and only when) requests come through `MCPStreamableHTTPEndpoint`.
public enum IdentityHeader {
  /// The header name (never accepted from the network).
  public static let name = "Latchkey-Verified-Identity"

  static func encode(_ identity: VerifiedIdentity) -> String? {
    (try? JSONEncoder().encode(identity))?.base64EncodedString()
  }

  static func decode(_ value: String) -> VerifiedIdentity? {
    guard let data = Data(base64Encoded: value) else { return nil }
    return try? JSONDecoder().decode(VerifiedIdentity.self, from: data)
  }
}

extension VerifiedIdentity {
  /// Inside an MCP swift-sdk method handler: the identity of the request being handled
  /// (through `Server.currentHandlerContext?.httpContext`), nil when unauthenticated.
  public static var current: VerifiedIdentity? {
    guard let value = Server.currentHandlerContext?.httpContext?.header(IdentityHeader.name)
    else { return nil }
    return IdentityHeader.decode(value)
  }
}
