import Foundation
public import HTTPTypes

/// MCP 2026-07-28 Streamable HTTP "Request Metadata": `Mcp-Method` and `Mcp-Name` mirror the
/// body's `method` and `params.name`/`params.uri` so intermediaries can route without parsing
/// the body. A server that processes the body MUST reject a request whose headers disagree with
/// it ("Server Validation": 400, JSON-RPC `-32020` `HeaderMismatch`), so that a component
/// routing or rate limiting on the header cannot be steered by one body while the MCP server
/// executes another.
public enum RequestMetadataHeaders {
  /// `Mcp-Method`.
  public static let methodField = HTTPField.Name("Mcp-Method")!
  /// `Mcp-Name`.
  public static let nameField = HTTPField.Name("Mcp-Name")!
  /// `MCP-Protocol-Version`.
  public static let protocolVersionField = HTTPField.Name("MCP-Protocol-Version")!
  /// The first protocol revision whose clients MUST send `Mcp-Method` and `Mcp-Name`.
  public static let firstRevisionRequiringHeaders = "2026-07-28"

  /// Why the headers do not match the body, or nil when they agree.
  public enum Mismatch: Sendable, Equatable {
    /// A header the request's protocol revision requires is absent.
    case missing(String)
    /// A header's value (after Base64 sentinel decoding) differs from the body.
    case differs(String)
    /// A header's value is not a valid header value or a broken Base64 sentinel.
    case malformed(String)

    /// The header named, for the error message (never its value).
    public var header: String {
      switch self {
      case .missing(let name), .differs(let name), .malformed(let name): name
      }
    }
  }

  /// "Server Validation": the headers present must match every message of the body; on
  /// revisions from 2026-07-28, `Mcp-Method` (all requests) and `Mcp-Name` (`tools/call`,
  /// `resources/read`, `prompts/get`) are required, and `MCP-Protocol-Version` must equal the
  /// body's `_meta["io.modelcontextprotocol/protocolVersion"]` when the body carries one.
  /// Older revisions did not define the mirrored headers, so they are only checked when sent.
  public static func validate(_ headerFields: HTTPFields, calls: [JSONRPCCall]) -> Mismatch? {
    let version = headerFields[protocolVersionField]
    let required = version.map { $0 >= firstRevisionRequiringHeaders } ?? false
    let method = headerFields[methodField]
    let name: String?
    switch headerFields[nameField].map(decode) {
    case .none: name = nil
    case .some(.none): return .malformed("Mcp-Name")
    case .some(.some(let decoded)): name = decoded
    }
    for call in calls {
      guard let callMethod = call.method else { continue }
      // Header requirements for notification POSTs are not defined by 2026-07-28.
      let mirrored = required && call.id != nil
      if let version, let bodyVersion = call.protocolVersion, bodyVersion != version {
        return .differs("MCP-Protocol-Version")
      }
      switch method {
      case .none where mirrored: return .missing("Mcp-Method")
      case .some(let value) where value != callMethod: return .differs("Mcp-Method")
      default: break
      }
      guard call.hasNamedTarget else { continue }
      guard let bodyName = call.name else {
        if name != nil { return .differs("Mcp-Name") }
        continue
      }
      switch name {
      case .none where mirrored: return .missing("Mcp-Name")
      case .some(let value) where value != bodyName: return .differs("Mcp-Name")
      default: break
      }
    }
    return nil
  }

  /// "Value Encoding": `=?base64?{Base64 of the UTF-8 value}?=` (markers case-sensitive), else
  /// the value as sent. Nil for a broken sentinel.
  static func decode(_ value: String) -> String? {
    let prefix = "=?base64?"
    let suffix = "?="
    guard value.hasPrefix(prefix), value.hasSuffix(suffix),
      value.count >= prefix.count + suffix.count
    else { return value }
    let encoded = value.dropFirst(prefix.count).dropLast(suffix.count)
    guard let data = Data(base64Encoded: String(encoded)) else { return nil }
    return String(data: data, encoding: .utf8)
  }
}
