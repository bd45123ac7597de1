import NIOCore
import NIOHTTP1

/// Takes the upstream's final response head out of the pipeline and hands it over through a
/// promise, so the caller can answer with status and fields before streaming the body; the body
/// parts and `.end` flow on to the `NIOAsyncChannel`. Informational (1xx) heads are skipped.
final class ResponseHeadHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPClientResponsePart
  typealias InboundOut = HTTPClientResponsePart

  private let promise: EventLoopPromise<HTTPResponseHead>
  private var headSeen = false

  init(promise: EventLoopPromise<HTTPResponseHead>) {
    self.promise = promise
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let part = unwrapInboundIn(data)
    if !headSeen, case .head(let head) = part {
      guard head.status.code >= 200 else { return }
      headSeen = true
      promise.succeed(head)
      return
    }
    context.fireChannelRead(data)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if !headSeen {
      headSeen = true
      promise.fail(error)
    }
    context.fireErrorCaught(error)
  }

  func channelInactive(context: ChannelHandlerContext) {
    if !headSeen {
      headSeen = true
      promise.fail(UpstreamError.closedBeforeResponse)
    }
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    if !headSeen {
      headSeen = true
      promise.fail(UpstreamError.closedBeforeResponse)
    }
  }
}
