import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A raw HTTP/1.1 upstream on a loopback port that counts the TCP connections it accepts, to
/// see whether the proxy reuses them. Every path answers a JSON-RPC result; some also shape the
/// connection: `/close` answers with `Connection: close` (closing a little later), `/drop` answers keep-alive
/// and then closes anyway (an upstream idle timeout), `/slow` answers after `slowness`,
/// `/events` is an event stream of two events `gap` apart.
final class CountingUpstream: Sendable {
  static let result = #"{"jsonrpc":"2.0","id":1,"result":{}}"#
  static let slowness = TimeAmount.milliseconds(500)
  static let gap = TimeAmount.milliseconds(300)

  private let accepted = Atomic<Int>(0)
  /// TCP connections accepted so far.
  var connections: Int { accepted.load(ordering: .relaxed) }

  /// Runs the upstream for the duration of `body`, passing its base URL `http://127.0.0.1:<port>`.
  static func run(_ body: (CountingUpstream, String) async throws -> Void) async throws {
    let upstream = CountingUpstream()
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        upstream.accepted.add(1, ordering: .relaxed)
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          try channel.pipeline.syncOperations.addHandler(CountingUpstreamHandler())
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    do {
      let port = server.localAddress?.port ?? 0
      try await body(upstream, "http://127.0.0.1:\(port)")
    } catch {
      try? await server.close()
      throw error
    }
    try? await server.close()
  }
}

private final class CountingUpstreamHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private var path = ""

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head): path = head.uri
    case .body: break
    case .end: respond(context)
    }
  }

  private func respond(_ context: ChannelHandlerContext) {
    let loop = context.eventLoop.assumeIsolated()
    switch path {
    case "/close":
      // Says `Connection: close` but closes only later: a client ignoring the field would
      // send its next request on this connection, and it would be answered there.
      answer(context, headers: [("Connection", "close")], thenClose: false)
      loop.scheduleTask(in: CountingUpstream.slowness) { context.close(promise: nil) }
    case "/drop": answer(context, headers: [], thenClose: true)
    case "/slow":
      loop.scheduleTask(in: CountingUpstream.slowness) {
        self.answer(context, headers: [], thenClose: false)
      }
    case "/events":
      let head = HTTPResponseHead(
        version: .http1_1, status: .ok, headers: ["Content-Type": "text/event-stream"])
      context.write(wrapOutboundOut(.head(head)), promise: nil)
      context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(event(1)))), promise: nil)
      loop.scheduleTask(in: CountingUpstream.gap) {
        context.write(self.wrapOutboundOut(.body(.byteBuffer(self.event(2)))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
      }
    default: answer(context, headers: [], thenClose: false)
    }
  }

  private func event(_ index: Int) -> ByteBuffer {
    ByteBuffer(string: "id: \(index)\ndata: event \(index)\n\n")
  }

  private func answer(
    _ context: ChannelHandlerContext, headers: [(String, String)], thenClose: Bool
  ) {
    let body = ByteBuffer(string: CountingUpstream.result)
    var fields = HTTPHeaders(headers)
    fields.add(name: "Content-Type", value: "application/json")
    fields.add(name: "Content-Length", value: String(body.readableBytes))
    let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: fields)
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
    if thenClose {
      written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
  }
}
