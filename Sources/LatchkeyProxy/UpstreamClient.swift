public import HTTPTypes
public import NIOCore
import NIOHTTP1
public import NIOPosix

/// A minimal HTTP/1.1 client for one upstream: one connection per request (closed after the
/// response), request body sent whole, response body streamed part by part with NIO's
/// back-pressure so an SSE stream reaches the client event by event and a slow client slows
/// the upstream instead of filling memory.
///
/// Each connection is owned by a task that holds it open (`executeThenClose`) until the body
/// has been read, or until every copy of the `UpstreamBody` is gone — so a response that is
/// never written (the client vanished) still closes its upstream connection.
public struct UpstreamClient: Sendable {
  public let target: UpstreamTarget
  /// Time allowed for connecting.
  public var connectTimeout: Duration
  /// Time allowed from the start of the request until the upstream's response head.
  public var responseHeadTimeout: Duration
  private let group: any EventLoopGroup

  public init(
    target: UpstreamTarget, connectTimeout: Duration = .seconds(5),
    responseHeadTimeout: Duration = .seconds(60),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.target = target
    self.connectTimeout = connectTimeout
    self.responseHeadTimeout = responseHeadTimeout
    self.group = group
  }

  /// The upstream's answer: status and fields now, the body as it arrives.
  public struct Response: Sendable {
    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    public let body: UpstreamBody
  }

  typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

  /// Sends one request and waits for the response head.
  public func send(
    method: HTTPRequest.Method, path: String, headerFields: HTTPFields, body: ByteBuffer?
  ) async throws(UpstreamError) -> Response {
    let connection: Connection
    let head: EventLoopFuture<HTTPResponseHead>
    do {
      (connection, head) = try await connect()
    } catch {
      throw .unreachable
    }
    let lease = ConnectionLease(promise: connection.channel.eventLoop.makePromise())
    let inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>
    do {
      inbound = try await Self.own(
        connection, lease: lease,
        request: Self.requestParts(method: method, path: path, fields: headerFields, body: body))
    } catch {
      lease.release()
      throw .closedBeforeResponse
    }
    let responseHead: HTTPResponseHead
    do {
      responseHead = try await Self.wait(
        for: head, on: connection.channel, timeout: responseHeadTimeout)
    } catch let error as UpstreamError {
      lease.release()
      throw error
    } catch {
      lease.release()
      throw .closedBeforeResponse
    }
    var fields = HTTPFields()
    for header in responseHead.headers {
      guard let name = HTTPField.Name(header.name) else { continue }
      fields.append(HTTPField(name: name, value: header.value))
    }
    return Response(
      status: HTTPResponse.Status(code: Int(responseHead.status.code)), headerFields: fields,
      body: UpstreamBody(inbound: inbound, lease: lease, channel: connection.channel))
  }

  /// Starts the task that owns the connection: it writes the request, hands out the inbound
  /// stream, and closes the connection once the lease is released.
  private static func own(
    _ connection: Connection, lease: ConnectionLease, request: [HTTPClientRequestPart]
  ) async throws -> NIOAsyncChannelInboundStream<HTTPClientResponsePart> {
    let released = lease.released
    return try await withCheckedThrowingContinuation { continuation in
      Task {
        try? await connection.executeThenClose { inbound, outbound in
          do {
            try await outbound.write(contentsOf: request)
          } catch {
            continuation.resume(throwing: error)
            return
          }
          continuation.resume(returning: inbound)
          try? await released.get()
        }
      }
    }
  }

  static func requestParts(
    method: HTTPRequest.Method, path: String, fields: HTTPFields, body: ByteBuffer?
  ) -> [HTTPClientRequestPart] {
    var headers = HTTPHeaders()
    for field in fields { headers.add(name: field.name.rawName, value: field.value) }
    headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
    if body == nil, method != .post { headers.remove(name: "Content-Length") }
    let head = HTTPRequestHead(
      version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: path,
      headers: headers)
    var parts: [HTTPClientRequestPart] = [.head(head)]
    if let body, body.readableBytes > 0 { parts.append(.body(.byteBuffer(body))) }
    parts.append(.end(nil))
    return parts
  }

  private func connect() async throws -> (Connection, EventLoopFuture<HTTPResponseHead>) {
    let bootstrap = ClientBootstrap(group: group)
      .connectTimeout(Self.timeAmount(connectTimeout))
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
    return try await bootstrap.connect(host: target.host, port: target.port) { channel in
      channel.eventLoop.makeCompletedFuture {
        let promise = channel.eventLoop.makePromise(of: HTTPResponseHead.self)
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.pipeline.syncOperations.addHandler(ResponseHeadHandler(promise: promise))
        let wrapped = try Connection(wrappingChannelSynchronously: channel)
        return (wrapped, promise.futureResult)
      }
    }
  }

  static func timeAmount(_ duration: Duration) -> TimeAmount {
    let (seconds, attoseconds) = duration.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }

  /// The head, or `UpstreamError.timedOut` (closing the channel, which fails the head future
  /// so the waiting child task ends).
  private static func wait(
    for head: EventLoopFuture<HTTPResponseHead>, on channel: any Channel, timeout: Duration
  ) async throws -> HTTPResponseHead {
    try await withThrowingTaskGroup(of: HTTPResponseHead?.self) { group in
      group.addTask { try await head.get() }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let head = first else {
        channel.close(promise: nil)
        throw UpstreamError.timedOut
      }
      return head
    }
  }
}

/// Keeps an upstream connection open while someone may still read its body; released
/// explicitly, or when the last reference goes away.
final class ConnectionLease: Sendable {
  private let promise: EventLoopPromise<Void>

  init(promise: EventLoopPromise<Void>) {
    self.promise = promise
  }

  var released: EventLoopFuture<Void> { promise.futureResult }

  /// Lets the owning task close the connection (completing twice is harmless in NIO).
  func release() { promise.succeed(()) }

  deinit { promise.succeed(()) }
}

/// The upstream response body, read once.
public struct UpstreamBody: Sendable {
  let inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>
  let lease: ConnectionLease
  let channel: any Channel

  /// Hands each body part to `write` as it arrives, until the upstream's end of message; the
  /// connection is released afterwards in every case.
  public func stream(into write: (ByteBuffer) async throws -> Void) async throws {
    defer { lease.release() }
    for try await part in inbound {
      switch part {
      case .body(let buffer): try await write(buffer)
      case .end: return
      case .head: continue
      }
    }
  }

  /// Closes the connection without reading further (shutdown, or the body is not wanted).
  public func close() {
    channel.close(promise: nil)
    lease.release()
  }
}
