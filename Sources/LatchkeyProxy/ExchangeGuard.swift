import NIOCore
import NIOHTTP1

/// Closes an upstream connection that sends anything while no request is waiting for an
/// answer, so bytes the upstream sends on an idle kept-alive connection can never be taken for
/// the next request's response (RFC 9112 §9.3: responses answer requests in order; an
/// unsolicited one means the connection can no longer be trusted).
final class ExchangeGuard: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPClientResponsePart
  typealias InboundOut = HTTPClientResponsePart
  typealias OutboundIn = HTTPClientRequestPart
  typealias OutboundOut = HTTPClientRequestPart

  private var awaitingResponse = false

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .head = unwrapOutboundIn(data) { awaitingResponse = true }
    context.write(data, promise: promise)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard awaitingResponse else {
      context.close(promise: nil)
      return
    }
    if case .end = unwrapInboundIn(data) { awaitingResponse = false }
    context.fireChannelRead(data)
  }
}
