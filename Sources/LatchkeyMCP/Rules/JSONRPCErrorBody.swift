/// JSON-RPC 2.0 §5.1 error responses the middleware and the swift-sdk glue answer with, never
/// reaching the handler.
public enum JSONRPCErrorBody {
  /// §5.1: invalid JSON.
  public static let parseError = -32700
  /// §5.1: not a valid request object.
  public static let invalidRequest = -32600
  /// §5.1: internal JSON-RPC error (the reply could not be produced).
  public static let internalError = -32603
  /// §5.1 implementation-defined server error: authorization, limits.
  public static let serverError = -32000
  /// §5.1 implementation-defined server error (-32000 to -32099): the `MCP-Session-Id` names
  /// no session of this server, answered with HTTP 404 (MCP 2025-11-25 Streamable HTTP
  /// "Session Management"); the code and message the MCP TypeScript SDK's Streamable HTTP
  /// server transport answers with, so clients recognise it.
  public static let sessionNotFound = -32001
  /// MCP 2026-07-28 Streamable HTTP "Server Validation": headers disagree with the body.
  public static let headerMismatch = -32020

  /// `{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…}}`; `id` is null when the request
  /// id is unknown (§5).
  public static func render(code: Int, message: String, id: JSONRPCID? = nil) -> String {
    #"{"jsonrpc":"2.0","id":\#(id?.json ?? "null"),"error":{"code":\#(code),"message":\#(quoteJSON(message))}}"#
  }

  /// RFC 8259 §7 string escaping.
  static func quoteJSON(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
