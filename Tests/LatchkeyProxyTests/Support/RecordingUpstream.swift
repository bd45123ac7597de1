import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A stand-in for a non-Swift MCP server at `/mcp`: records every request's header fields and
/// body; POST answers JSON, GET answers an SSE stream of three events `gap` apart.
final class RecordingUpstream: Sendable {
  static let gap = Duration.milliseconds(700)
  private let requests = Mutex<[(HTTPFields, String)]>([])

  var hits: Int { requests.withLock { $0.count } }
  var lastHeaders: HTTPFields? { requests.withLock { $0.last?.0 } }
  var lastBody: String? { requests.withLock { $0.last?.1 } }
  /// The `Host` of the last request (HTTPTypes keeps it as the `:authority` pseudo-field).
  var lastAuthority: String? { authorities.withLock { $0.last ?? nil } }
  private let authorities = Mutex<[String?]>([])

  private func record(_ request: (HTTPFields, String), authority: String?) {
    requests.withLock { $0.append(request) }
    authorities.withLock { $0.append(authority) }
  }

  func run(_ body: @escaping @Sendable (_ url: String) async throws -> Void) async throws {
    let router = Router()
    router.on("/mcp", method: .post) { [self] request, _ -> Response in
      var request = request
      let text = String(buffer: try await request.collectBody(upTo: 1 << 20))
      self.record((request.headers, text), authority: request.head.authority)
      return Response(
        status: .ok,
        headers: [
          .contentType: "application/json", HTTPField.Name("Mcp-Session-Id")!: "session-1",
          HTTPField.Name("X-Upstream")!: "yes",
        ],
        body: .init(byteBuffer: ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"result":{}}"#)))
    }
    router.on("/mcp", method: .delete) { [self] request, _ -> Response in
      self.record((request.headers, ""), authority: request.head.authority)
      return Response(status: .ok)
    }
    router.get("/mcp") { [self] request, _ -> Response in
      self.record((request.headers, ""), authority: request.head.authority)
      return Response(
        status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
        body: ResponseBody { writer in
          for index in 1...3 {
            if index > 1 { try await Task.sleep(for: Self.gap) }
            try await writer.write(ByteBuffer(string: "id: \(index)\ndata: event \(index)\n\n"))
          }
          try await writer.finish(nil)
        })
    }
    try await Application(router: router).test(.live) { client in
      let port = try #require(client.port)
      try await body("http://127.0.0.1:\(port)/mcp")
    }
  }
}
