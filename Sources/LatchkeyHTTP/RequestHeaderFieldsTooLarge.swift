import Logging
import NIOCore
import NIOHTTP1

/// Answers a request whose header fields are over the HTTP decoder's limits with
/// `431 Request Header Fields Too Large` (RFC 6585 §5) and a small OAuth-style JSON body,
/// instead of the bare, empty `400` Hummingbird writes for every parse error.
///
/// NIO's decoder reports `HTTPParserError.headerOverflow` for one field over
/// `maxHeaderFieldSize`, all fields over `maxHeaderListSize`, or more than
/// `maxHeaderFieldCount` fields. This handler sits right after the decoder (where NIO's own
/// `HTTPServerProtocolErrorHandler` would), answers, and closes the connection; every other parse
/// error goes on to Hummingbird unchanged. When an earlier request on the connection is still
/// being answered (pipelining), the 431 follows that response.
final class RequestHeaderFieldsTooLargeHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  static let body =
    #"{"error":"invalid_request","error_description":"Request header fields too large."}"#

  /// How long the rest of an oversize request is read and dropped before the connection closes.
  static let lingering = TimeAmount.seconds(2)

  let logger: Logger
  /// Requests whose head was read and whose response has not ended.
  private var unanswered = 0
  /// Whether the last request's body is complete (its `.end` was read).
  private var lastRequestComplete = true
  /// The 431 waits for the response in progress.
  private var pending = false
  /// After the 431 nothing else is written.
  private var answered = false

  init(logger: Logger) {
    self.logger = logger
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if answered { return }
    switch Self.unwrapInboundIn(data) {
    case .head:
      unanswered += 1
      lastRequestComplete = false
    case .body: break
    case .end: lastRequestComplete = true
    }
    context.fireChannelRead(data)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if answered { return }  // the decoder's complaints about the rest of the oversize request
    guard case HTTPParserError.headerOverflow = error, lastRequestComplete else {
      context.fireErrorCaught(error)
      return
    }
    logger.info(
      "request header fields too large",
      metadata: ["status": "431", "remote": "\(context.remoteAddress?.ipAddress ?? "unknown")"])
    if unanswered == 0 {
      answer(context: context)
    } else {
      pending = true
    }
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    guard !answered else {
      promise?.succeed()
      return
    }
    let part = Self.unwrapOutboundIn(data)
    context.write(data, promise: promise)
    if case .end = part {
      unanswered = max(0, unanswered - 1)
      if pending, unanswered == 0 { answer(context: context) }
    }
  }

  private func answer(context: ChannelHandlerContext) {
    answered = true
    pending = false
    let body = ByteBuffer(string: Self.body)
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "application/json")
    headers.add(name: "Cache-Control", value: "no-store")
    headers.add(name: "Content-Length", value: String(body.readableBytes))
    headers.add(name: "Connection", value: "close")
    let head = HTTPResponseHead(
      version: .http1_1, status: .requestHeaderFieldsTooLarge, headers: headers)
    context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
    context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    // Close only our side first and drop what the client is still sending: closing at once
    // with unread bytes makes the kernel send a reset, which can destroy the 431 on its way.
    let channel = context.channel
    context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).whenComplete { _ in
      channel.close(mode: .output, promise: nil)
      channel.eventLoop.scheduleTask(in: Self.lingering) { channel.close(promise: nil) }
    }
  }
}

/// Puts `RequestHeaderFieldsTooLargeHandler` right after the HTTP/1 request decoder. Hummingbird
/// adds its extra channel handlers after its HTTP-types codec, where parse errors arrive but
/// responses are already `HTTPTypes` values; this installer moves the work to the NIO HTTP/1
/// layer and then stays in the pipeline passing everything through.
final class RequestHeaderFieldsTooLargeInstaller: ChannelInboundHandler, RemovableChannelHandler {
  /// Never unwrapped: every inbound event passes through untouched.
  typealias InboundIn = NIOAny

  let logger: Logger

  init(logger: Logger) {
    self.logger = logger
  }

  func handlerAdded(context: ChannelHandlerContext) {
    let pipeline = context.pipeline.syncOperations
    guard
      let decoder = try? pipeline.context(
        handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
    else { return }
    try? pipeline.addHandler(
      RequestHeaderFieldsTooLargeHandler(logger: logger), position: .after(decoder.handler))
  }
}

@available(*, unavailable)
extension RequestHeaderFieldsTooLargeHandler: Sendable {}

@available(*, unavailable)
extension RequestHeaderFieldsTooLargeInstaller: Sendable {}
