public import HummingbirdCore
import LatchkeyNIO
public import Logging
public import NIOCore
import Synchronization

/// Hummingbird's HTTP/1.1 child channel (`HTTP1Channel`) with two additions:
///
/// - **A connection accepted but never served is closed, not trapped on.** NIO traps when an
///   `NIOAsyncChannel`'s writer goes away unfinished ("Deinited NIOAsyncWriter without calling
///   finish()"). A connection accepted while the server task is being cancelled (a service of
///   the same `ServiceGroup` ended or threw, so the group cancels the others) can be dropped by
///   Hummingbird's connection stream after NIO already set it up: open upstream as
///   apple/swift-nio#2813, #3481. `Value` notices that it was never handed to `handle` and
///   closes the connection through `executeThenClose`, which finishes the writer.
/// - **Optionally, each connection served on its own event loop** (`runsOnEventLoop`,
///   `EventLoopTaskExecutor`): the request is read, handled and answered on the thread that does
///   the connection's I/O, without a hop to Swift's global executor and back. Only for handlers
///   that never block (`latchkey proxy`: verify a token, forward, relay), not for the
///   authorization server, whose logins hash passwords for tens of milliseconds.
public struct ServedHTTP1Channel: ServerChildChannel {
  /// The connection, and whether `handle` took it.
  public final class Value: ServerChildChannelValue {
    let connection: HTTP1Channel.Value
    private let handled = Atomic<Bool>(false)

    public var channel: any Channel { connection.channel }

    init(_ connection: HTTP1Channel.Value) {
      self.connection = connection
    }

    /// Marks the connection as served; returns it.
    func take() -> HTTP1Channel.Value {
      handled.store(true, ordering: .releasing)
      return connection
    }

    deinit {
      guard !handled.load(ordering: .acquiring) else { return }
      let connection = self.connection
      Task { try? await connection.executeThenClose { _, _ in } }
    }
  }

  let base: HTTP1Channel
  let runsOnEventLoop: Bool

  public init(_ base: HTTP1Channel, runsOnEventLoop: Bool = false) {
    self.base = base
    self.runsOnEventLoop = runsOnEventLoop
  }

  public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    base.setup(channel: channel, logger: logger).map { Value($0) }
  }

  public func handle(value: Value, logger: Logger) async {
    let connection = value.take()
    guard runsOnEventLoop else {
      await base.handle(value: connection, logger: logger)
      return
    }
    await withTaskExecutorPreference(EventLoopTaskExecutor(connection.channel.eventLoop)) {
      await base.handle(value: connection, logger: logger)
    }
  }
}

extension HTTPServerBuilder {
  /// HTTP/1.1 with Hummingbird's default decoder limits (80 KB per field and in all), answering
  /// a request over them with `431` and a JSON body (`RequestHeaderFieldsTooLargeHandler`), and
  /// closing connections accepted but never served (`ServedHTTP1Channel`).
  public static func http1AnsweringOversizeHeaders(logger: Logger) -> HTTPServerBuilder {
    served(logger: logger, onConnectionEventLoop: false)
  }

  /// `http1AnsweringOversizeHeaders`, with each connection served on its own event loop and
  /// the flushes of one turn of that loop sent as one write (`FlushCoalescingHandler`).
  public static func http1OnConnectionEventLoop(logger: Logger) -> HTTPServerBuilder {
    served(logger: logger, onConnectionEventLoop: true)
  }

  /// The two servers above. The handler list is an autoclosure, evaluated per connection: each
  /// connection gets handlers of its own.
  private static func served(logger: Logger, onConnectionEventLoop: Bool) -> HTTPServerBuilder {
    HTTPServerBuilder { responder in
      ServedHTTP1Channel(
        HTTP1Channel(
          responder: responder,
          configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestHeaderFieldsTooLargeInstaller(logger: logger)]
              + (onConnectionEventLoop ? [FlushCoalescingHandler()] : []))),
        runsOnEventLoop: onConnectionEventLoop)
    }
  }
}
