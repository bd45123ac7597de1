public import HTTPTypes
public import NIOCore
import NIOHTTP1
public import NIOPosix
import Synchronization

/// A minimal HTTP/1.1 client for one upstream. Connections are persistent (RFC 9112 §9.3) and
/// pooled: a connection goes back to the pool only when its response was read to the end and
/// neither side said `Connection: close`; one that failed, timed out or was not read to the end
/// is closed. The request body is sent whole; the response body is streamed part by part with
/// NIO's back-pressure, so an SSE stream reaches the client event by event (holding its
/// connection until it ends) and a slow client slows the upstream instead of filling memory.
///
/// A response that is never written (the client vanished) still closes its connection: the
/// `ConnectionLease` closes it when the last copy of the `UpstreamBody` goes away.
public struct UpstreamClient: Sendable {
  public let target: UpstreamTarget
  /// Time allowed for connecting.
  public var connectTimeout: Duration
  /// Time allowed from the start of the request until the upstream's response head.
  public var responseHeadTimeout: Duration
  private let group: any EventLoopGroup
  let pool: ConnectionPool

  public init(
    target: UpstreamTarget, connectTimeout: Duration = .seconds(5),
    responseHeadTimeout: Duration = .seconds(60),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    maximumIdleConnections: Int = 32, idleConnectionTimeout: Duration = .seconds(30)
  ) {
    self.target = target
    self.connectTimeout = connectTimeout
    self.responseHeadTimeout = responseHeadTimeout
    self.group = group
    self.pool = ConnectionPool(
      maximumIdle: maximumIdleConnections, idleTimeout: Self.timeAmount(idleConnectionTimeout))
  }

  /// The upstream's answer: status and fields now, the body as it arrives.
  public struct Response: Sendable {
    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    public let body: UpstreamBody
  }

  /// Sends one request and waits for the response head.
  ///
  /// A pooled connection the upstream closed while idle is retried once on a new connection,
  /// but only when writing the request failed — nothing reached the upstream — because a
  /// JSON-RPC POST is not idempotent (RFC 9110 §9.2.2; the rule Go's `net/http` applies too).
  public func send(
    method: HTTPRequest.Method, path: String, headerFields: HTTPFields, body: ByteBuffer?
  ) async throws(UpstreamError) -> Response {
    let request = Self.requestParts(method: method, path: path, fields: headerFields, body: body)
    // The caller's event loop when it runs on one of the client's group (`latchkey proxy`
    // serves each connection on its loop, `ServedHTTP1Channel`): a connection of that loop
    // answers without waking another thread.
    let loop = MultiThreadedEventLoopGroup.currentEventLoop.flatMap { current in
      group.makeIterator().contains { $0 === current } ? current : nil
    }
    var mayReuse = true
    while true {
      let pooled = mayReuse ? pool.checkOut(preferring: loop) : nil
      let connection: PooledConnection
      if let pooled {
        connection = pooled
      } else {
        do {
          connection = try await connect(on: loop)
        } catch {
          throw .unreachable
        }
      }
      let deadline = connection.channel.eventLoop.scheduleTask(
        in: Self.timeAmount(responseHeadTimeout)
      ) { connection.timeOut() }
      do {
        try await connection.outbound.write(contentsOf: request.parts)
      } catch {
        deadline.cancel()
        connection.close()
        if pooled != nil {
          mayReuse = false
          continue
        }
        throw .closedBeforeResponse
      }
      let head: HTTPResponseHead
      do throws(UpstreamError) {
        head = try await connection.responseHead()
      } catch {
        deadline.cancel()
        throw error
      }
      deadline.cancel()
      var fields = HTTPFields()
      for header in head.headers {
        guard let name = HTTPField.Name(header.name) else { continue }
        fields.append(HTTPField(name: name, value: header.value))
      }
      let lease = ConnectionLease(
        connection, pool: pool, reusable: request.keepAlive && head.isKeepAlive)
      return Response(
        status: HTTPResponse.Status(code: Int(head.status.code)), headerFields: fields,
        body: UpstreamBody(lease: lease))
    }
  }

  static func requestParts(
    method: HTTPRequest.Method, path: String, fields: HTTPFields, body: ByteBuffer?
  ) -> (parts: [HTTPClientRequestPart], keepAlive: Bool) {
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
    return (parts, head.isKeepAlive)
  }

  /// A new connection, on `loop` when given (else one of the client's group).
  private func connect(on loop: (any EventLoop)?) async throws -> PooledConnection {
    let bootstrap = ClientBootstrap(group: loop ?? group)
      .connectTimeout(Self.timeAmount(connectTimeout))
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
    let channel = try await bootstrap.connect(host: target.host, port: target.port) { channel in
      channel.eventLoop.makeCompletedFuture {
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.pipeline.syncOperations.addHandler(ExchangeGuard())
        return try PooledConnection.Wrapped(wrappingChannelSynchronously: channel)
      }
    }
    return await PooledConnection.own(channel)
  }

  static func timeAmount(_ duration: Duration) -> TimeAmount {
    let (seconds, attoseconds) = duration.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}

/// One request's hold on its connection: released once, explicitly or when the last reference
/// goes away. Only a response read to its end on a keep-alive exchange returns the connection
/// to the pool; every other release closes it.
final class ConnectionLease: Sendable {
  let connection: PooledConnection
  private let pool: ConnectionPool
  private let reusable: Bool
  private let done = Atomic<Bool>(false)

  init(_ connection: PooledConnection, pool: ConnectionPool, reusable: Bool) {
    self.connection = connection
    self.pool = pool
    self.reusable = reusable
  }

  var isReleased: Bool { done.load(ordering: .acquiring) }

  func release(responseComplete: Bool) {
    guard
      done.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        .exchanged
    else { return }
    if responseComplete, reusable {
      pool.checkIn(connection)
    } else {
      connection.close()
    }
  }

  deinit { release(responseComplete: false) }
}

/// The upstream response body, read once.
public struct UpstreamBody: Sendable {
  let lease: ConnectionLease

  /// Hands each body part to `write` as it arrives, until the upstream's end of message; the
  /// connection is released afterwards in every case (back to the pool only after the end).
  public func stream(into write: (ByteBuffer) async throws -> Void) async throws {
    guard !lease.isReleased else { return }
    var complete = false
    defer { lease.release(responseComplete: complete) }
    while let part = try await lease.connection.next() {
      switch part {
      case .body(let buffer): try await write(buffer)
      case .end:
        complete = true
        return
      case .head: continue
      }
    }
  }

  /// Closes the connection without reading further (shutdown, or the body is not wanted).
  public func close() {
    lease.release(responseComplete: false)
  }
}
