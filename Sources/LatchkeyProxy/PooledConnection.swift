import NIOCore
import NIOHTTP1
import Synchronization

/// One persistent HTTP/1.1 connection to the upstream (RFC 9112 §9.3). At any moment it is
/// either held by exactly one request (through its `ConnectionLease`) or idle in the
/// `ConnectionPool`, so its response iterator is only ever read by one task at a time — the
/// invariant that makes the `@unchecked Sendable` sound.
///
/// A task owns the channel (`executeThenClose`) until `close()` is called or the channel
/// closes by itself, so every connection is closed exactly once.
final class PooledConnection: @unchecked Sendable {
  typealias Wrapped = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

  let channel: any Channel
  let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
  private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
  private let closed: EventLoopPromise<Void>
  private let timedOutFlag = Atomic<Bool>(false)

  private init(
    channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>,
    inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
    closed: EventLoopPromise<Void>
  ) {
    self.channel = channel
    self.outbound = outbound
    self.inbound = inbound
    self.closed = closed
  }

  /// Starts the task that owns `connection` and returns the connection once it is ready.
  static func own(_ connection: Wrapped) async -> PooledConnection {
    let closed = connection.channel.eventLoop.makePromise(of: Void.self)
    connection.channel.closeFuture.whenComplete { _ in closed.succeed(()) }
    return await withCheckedContinuation { continuation in
      Task {
        _ = try? await connection.executeThenClose { inbound, outbound in
          continuation.resume(
            returning: PooledConnection(
              channel: connection.channel, outbound: outbound,
              inbound: inbound.makeAsyncIterator(), closed: closed))
          try? await closed.futureResult.get()
        }
      }
    }
  }

  /// Open and not closing: still worth writing a request to.
  var isActive: Bool { channel.isActive }

  /// The next response part; nil once the connection has closed.
  func next() async throws -> HTTPClientResponsePart? {
    try await inbound.next()
  }

  /// The final (non-1xx) response head; throws `closedBeforeResponse` when the connection
  /// ends first, `timedOut` when `timeOut()` closed it.
  func responseHead() async throws(UpstreamError) -> HTTPResponseHead {
    do {
      while let part = try await next() {
        if case .head(let head) = part, head.status.code >= 200 { return head }
      }
    } catch {}
    close()
    throw timedOutFlag.load(ordering: .relaxed)
      ? UpstreamError.timedOut : UpstreamError.closedBeforeResponse
  }

  /// Closes the connection because its response head is late.
  func timeOut() {
    timedOutFlag.store(true, ordering: .relaxed)
    close()
  }

  func close() {
    channel.close(promise: nil)
    closed.succeed(())
  }
}
