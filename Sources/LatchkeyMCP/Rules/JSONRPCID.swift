/// A JSON-RPC 2.0 §4 request `id`: a string or a number, kept to echo it in error responses.
public enum JSONRPCID: Sendable, Equatable {
  case string(String)
  case number(Int64)

  /// The id as JSON text.
  public var json: String {
    switch self {
    case .string(let value): JSONRPCErrorBody.quoteJSON(value)
    case .number(let value): String(value)
    }
  }
}
