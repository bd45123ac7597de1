import Foundation

/// Reads just enough of a JSON-RPC body to decide on scopes, before the MCP server sees it.
public enum JSONRPCPeek {
  /// The outcome of peeking at a POST body.
  public enum Result: Sendable, Equatable {
    /// One entry per message (a single message or each element of a batch).
    case calls([JSONRPCCall])
    /// Not JSON at all (JSON-RPC 2.0 §5.1 `-32700`).
    case parseError
    /// JSON, but not a JSON-RPC message or non-empty batch of them (§5.1 `-32600`).
    case invalidRequest
  }

  /// JSON-RPC 2.0 §4/§6: a body is one message object or a non-empty array of them. Batches
  /// are judged as a whole so one forbidden call cannot hide among allowed ones.
  public static func peek(_ body: some Collection<UInt8>) -> Result {
    guard
      let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    else {
      return .parseError
    }
    if let object = json as? [String: Any] {
      return call(object).map { .calls([$0]) } ?? .invalidRequest
    }
    guard let array = json as? [Any], !array.isEmpty else { return .invalidRequest }
    var calls: [JSONRPCCall] = []
    calls.reserveCapacity(array.count)
    for element in array {
      guard let object = element as? [String: Any], let call = call(object) else {
        return .invalidRequest
      }
      calls.append(call)
    }
    return .calls(calls)
  }

  /// JSON-RPC 2.0 §4: a request or notification has a string `method`; a response has
  /// `result` or `error` and no `method`.
  static func call(_ object: [String: Any]) -> JSONRPCCall? {
    let id = requestID(object["id"])
    if let method = object["method"] {
      guard let method = method as? String else { return nil }
      let params = object["params"] as? [String: Any]
      var name: String?
      if JSONRPCCall.namedMethods.contains(method) {
        name = params?[method == "resources/read" ? "uri" : "name"] as? String
      }
      let meta = params?["_meta"] as? [String: Any]
      return JSONRPCCall(
        method: method, id: id, name: name,
        protocolVersion: meta?["io.modelcontextprotocol/protocolVersion"] as? String)
    }
    guard object["result"] != nil || object["error"] != nil else { return nil }
    return JSONRPCCall(method: nil, id: id)
  }

  static func requestID(_ value: Any?) -> JSONRPCID? {
    switch value {
    case let string as String: .string(string)
    case let number as Int: .number(Int64(number))
    default: nil
    }
  }
}
