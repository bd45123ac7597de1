import NIOCore

/// Holds each flush until the event loop has run the jobs already queued, so the parts a task
/// writes in one go (a response head, its body parts and its end, as `latchkey proxy` relays
/// them) leave in one `writev` instead of one system call and TCP segment each. The idea of
/// Netty's `FlushConsolidationHandler`.
///
/// The wait is bounded by the event loop itself: the deferred flush is a job queued behind the
/// writer's, never a timer. A close flushes what is held first, so a response written just
/// before `Connection: close` still leaves.
final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
  typealias OutboundIn = NIOAny
  typealias OutboundOut = NIOAny

  /// A flush was asked for and has not happened yet.
  private var held = false

  func flush(context: ChannelHandlerContext) {
    guard !held else { return }
    held = true
    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    context.eventLoop.execute {
      let (handler, context) = loopBound.value
      handler.flushHeld(context: context)
    }
  }

  func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
    flushHeld(context: context)
    context.close(mode: mode, promise: promise)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    flushHeld(context: context)
  }

  private func flushHeld(context: ChannelHandlerContext) {
    guard held else { return }
    held = false
    context.flush()
  }
}

@available(*, unavailable)
extension FlushCoalescingHandler: Sendable {}
