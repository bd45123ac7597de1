import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyMCP
import MCP
import NIOCore
import ServiceLifecycle

/// Hummingbird requests and responses to and from the swift-sdk transport's framework-neutral
/// `MCP.HTTPRequest` / `MCP.HTTPResponse`, and the reply mode (plain JSON or SSE) of a POST.
enum MCPHTTPConversion {
  /// True when a POST's reply goes out as one `application/json` body: the client accepts
  /// only JSON, or accepts it and `mode` prefers it.
  static func repliesWithJSON(
    _ request: Hummingbird.Request, mode: MCPStreamableHTTPEndpoint.ResponseMode
  ) -> Bool {
    guard request.method == .post else { return false }
    let accept = request.headers[values: .accept].joined(separator: ",").lowercased()
    guard accept.contains("text/event-stream") else { return true }
    return mode == .preferJSON && accept.contains("application/json")
  }

  /// True when the body is one `initialize` request.
  static func isInitialize(_ body: ByteBuffer) -> Bool {
    guard case .calls(let calls) = JSONRPCPeek.peek(body.readableBytesView) else { return false }
    return calls.count == 1 && calls[0].method == "initialize"
  }

  /// The framework-neutral request the SDK transport takes. `Host` comes from the request's
  /// authority; client-sent identity and accessor headers are dropped and replaced by the
  /// verified identity and `upstreamKey` (``UpstreamAccessors``).
  static func mcpRequest(
    _ request: Hummingbird.Request, body: Data, identity: VerifiedIdentity?, forceSSEAccept: Bool,
    upstreamKey: String? = nil
  ) -> MCP.HTTPRequest {
    var headers: [String: String] = [:]
    for field in request.headers {
      let name = field.name.canonicalName
      if name == IdentityHeader.canonicalName || name == UpstreamAccessors.canonicalName {
        continue
      }
      headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
    }
    if let authority = request.head.authority { headers["host"] = authority }
    if forceSSEAccept { headers["accept"] = "application/json, text/event-stream" }
    if let identity, let encoded = IdentityHeader.encode(identity) {
      headers[IdentityHeader.name] = encoded
    }
    if let upstreamKey { headers[UpstreamAccessors.name] = upstreamKey }
    return MCP.HTTPRequest(
      method: request.method.rawValue, headers: headers, body: body.isEmpty ? nil : body,
      path: request.uri.path)
  }

  /// - Parameter onGracefulShutdown: called when the server shuts down gracefully while an
  ///   event stream is open; it ends every session, which finishes their streams, so the
  ///   server's wait for in-flight requests ends instead of running into its time limit.
  ///   - onFinished: called once the response is complete: at once for a plain reply, when the
  ///     stream ends for an event stream.
  static func hummingbirdResponse(
    _ response: MCP.HTTPResponse, asJSON: Bool,
    onFinished: @escaping @Sendable () -> Void = {},
    onGracefulShutdown: @escaping @Sendable () -> Void = {}
  ) async -> Hummingbird.Response {
    var fields = HTTPFields()
    for (name, value) in response.headers {
      guard let fieldName = HTTPField.Name(name) else { continue }
      fields[fieldName] = value
    }
    let status = HTTPTypes.HTTPResponse.Status(code: response.statusCode)
    switch response {
    case .stream(let stream, _) where asJSON:
      defer { onFinished() }
      var collected = Data()
      do {
        for try await chunk in stream { collected.append(chunk) }
      } catch {
        return errorResponse(500, code: JSONRPCErrorBody.internalError, "Internal error")
      }
      let messages = SSEMessages.dataPayloads(String(decoding: collected, as: UTF8.self))
      guard let last = messages.last else {
        return Hummingbird.Response(status: .accepted, headers: fields)
      }
      fields[.contentType] = "application/json"
      fields[.cacheControl] = "no-store"
      fields[.connection] = nil
      return Hummingbird.Response(
        status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: last)))
    case .stream(let stream, _):
      return Hummingbird.Response(
        status: status, headers: fields,
        body: ResponseBody { writer in
          defer { onFinished() }
          try await withGracefulShutdownHandler {
            for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
          } onGracefulShutdown: {
            onGracefulShutdown()
          }
          try await writer.finish(nil)
        })
    default:
      onFinished()
      let body = response.bodyData.map { ByteBuffer(bytes: $0) } ?? ByteBuffer()
      return Hummingbird.Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
  }

  /// A JSON-RPC error response with a null id (JSON-RPC 2.0 §5).
  static func errorResponse(_ status: Int, code: Int, _ message: String) -> Hummingbird.Response {
    Hummingbird.Response(
      status: HTTPTypes.HTTPResponse.Status(code: status),
      headers: [.contentType: "application/json"],
      body: .init(
        byteBuffer: ByteBuffer(
          string: JSONRPCErrorBody.render(code: code, message: message))))
  }
}
