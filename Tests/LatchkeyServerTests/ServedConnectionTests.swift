import Foundation
import FoundationNetworking
import Glibc
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

@testable import LatchkeyHTTP

/// `ServedHTTP1Channel` and `FlushCoalescingHandler`: how Latchkey's servers take connections.
@Suite("Served connections")
struct ServedConnectionTests {
  /// A Hummingbird application on an ephemeral loopback port, answering `GET /where` with
  /// whether the handler ran on an event loop thread.
  static func application(
    _ server: HTTPServerBuilder, port: @escaping @Sendable (Int) -> Void
  ) -> some ApplicationProtocol {
    let router = Router()
    router.get("/where") { _, _ in
      MultiThreadedEventLoopGroup.currentEventLoop == nil ? "global executor" : "event loop"
    }
    var logger = Logger(label: "served-connection-test")
    logger.logLevel = .critical
    return Application(
      router: router, server: server,
      configuration: .init(address: .hostname("127.0.0.1", port: 0)),
      onServerRunning: { channel in port(channel.localAddress?.port ?? 0) }, logger: logger)
  }

  /// Runs `application` until `body` returns, then shuts it down gracefully.
  static func serving<A: ApplicationProtocol>(
    _ application: A, port: AsyncStream<Int>, body: (Int) async throws -> Void
  ) async throws {
    let group = ServiceGroup(
      configuration: .init(
        services: [application], gracefulShutdownSignals: [], logger: Logger(label: "test")))
    let running = Task { try await group.run() }
    var ports = port.makeAsyncIterator()
    let bound = try #require(await ports.next())
    try await body(bound)
    await group.triggerGracefulShutdown()
    _ = await running.result
  }

  static func whereServed(_ server: HTTPServerBuilder) async throws -> String {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var answer = ""
    try await serving(Self.application(server) { continuation.yield($0) }, port: ports) { port in
      let url = try #require(URL(string: "http://127.0.0.1:\(port)/where"))
      let (data, _) = try await URLSession.shared.data(from: url)
      answer = String(decoding: data, as: UTF8.self)
    }
    return answer
  }

  @Test func theProxyServerHandlesRequestsOnTheConnectionsEventLoop() async throws {
    let logger = Logger(label: "test")
    #expect(try await Self.whereServed(.http1OnConnectionEventLoop(logger: logger)) == "event loop")
    #expect(
      try await Self.whereServed(.http1AnsweringOversizeHeaders(logger: logger))
        == "global executor")
  }

  /// apple/swift-nio#2813: a connection accepted while the server task is cancelled used to
  /// trap the process ("Deinited NIOAsyncWriter without calling finish()"). Clients connect in a
  /// tight loop while each server is cancelled; the test process surviving is the assertion,
  /// and every server must also have stopped.
  @Test(arguments: [false, true])
  func cancellingAServerWhileItAcceptsConnectionsDoesNotTrap(onEventLoop: Bool) async throws {
    let logger = Logger(label: "test")
    for _ in 1...12 {
      let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
      let server: HTTPServerBuilder =
        onEventLoop
        ? .http1OnConnectionEventLoop(logger: logger)
        : .http1AnsweringOversizeHeaders(logger: logger)
      let group = ServiceGroup(
        configuration: .init(
          services: [Self.application(server) { continuation.yield($0) }],
          gracefulShutdownSignals: [], logger: logger))
      let running = Task { try await group.run() }
      var iterator = ports.makeAsyncIterator()
      let port = try #require(await iterator.next())
      let clients = ConnectingClients(port: port, threads: 2)
      try await Task.sleep(for: .milliseconds(Int.random(in: 3...15)))
      running.cancel()
      _ = await running.result
      await clients.stop()
      #expect(clients.connected > 0)
    }
  }

  @Test func flushesOfOneTurnOfTheLoopLeaveTogether() throws {
    let channel = EmbeddedChannel(handler: FlushCoalescingHandler())
    channel.write(ByteBuffer(string: "head"), promise: nil)
    channel.write(ByteBuffer(string: "body"), promise: nil)
    channel.flush()
    // Held until the loop runs the jobs queued before the flush.
    #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    channel.embeddedEventLoop.run()
    #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "head"))
    #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "body"))
    #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    _ = try channel.finish()
  }

  @Test func closeSendsWhatAHeldFlushCovers() throws {
    let channel = EmbeddedChannel(handler: FlushCoalescingHandler())
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    channel.write(ByteBuffer(string: "last answer"), promise: nil)
    channel.flush()
    channel.close(promise: nil)
    #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "last answer"))
  }
}

/// Threads connecting to a port and closing at once, as fast as they can, until stopped.
final class ConnectingClients: Sendable {
  private let stopping = Atomic<Bool>(false)
  private let connections = Atomic<Int>(0)
  private let group = DispatchGroup()

  /// Connections that were accepted by the kernel.
  var connected: Int { connections.load(ordering: .relaxed) }

  init(port: Int, threads: Int) {
    for _ in 0..<threads {
      group.enter()
      Thread.detachNewThread { [self] in
        defer { group.leave() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        for _ in 0..<100_000 where !stopping.load(ordering: .relaxed) {
          let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
          guard socket >= 0 else { continue }
          var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
          _ = setsockopt(
            socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
          let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
              connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
          }
          if result == 0 { connections.add(1, ordering: .relaxed) }
          close(socket)
        }
      }
    }
  }

  /// Stops the threads and waits for them.
  func stop() async {
    stopping.store(true, ordering: .relaxed)
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      group.notify(queue: .global()) { done.resume() }
    }
  }
}
