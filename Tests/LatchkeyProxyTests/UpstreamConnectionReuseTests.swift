import Foundation
import HTTPTypes
import LatchkeyHTTP
import LatchkeyNIO
import LatchkeyTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import LatchkeyProxy

/// Keep-alive to the upstream (RFC 9112 §9.3): connections are reused only when that is safe,
/// counted at the upstream's end of real sockets.
@Suite("Proxy: upstream connection reuse")
struct UpstreamConnectionReuseTests {
  static func client(_ base: String, path: String = "/mcp") throws -> UpstreamClient {
    UpstreamClient(target: try #require(UpstreamTarget(base + path)))
  }

  /// One POST read to its end; returns the body text.
  static func call(_ client: UpstreamClient, path: String = "/mcp") async throws -> String {
    let response = try await client.send(
      method: .post, path: path, headerFields: [.contentType: "application/json"],
      body: ByteBuffer(string: ProxyHarness.toolCall("add_note")))
    #expect(response.status == .ok)
    return try await Self.text(of: response.body)
  }

  static func text(of body: UpstreamBody) async throws -> String {
    var text = ""
    try await body.stream { text += String(buffer: $0) }
    return text
  }

  @Test func sequentialCallsShareOneConnection() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = try Self.client(base)
      for _ in 1...5 { #expect(try await Self.call(client) == CountingUpstream.result) }
      #expect(upstream.connections == 1)
    }
  }

  @Test func sequentialToolCallsThroughTheProxyShareOneUpstreamConnection() async throws {
    let issuer = try LiveIssuer()
    try await issuer.run { issuerURL in
      try await CountingUpstream.run { upstream, base in
        let configuration = ProxyHarness.configuration(issuer: issuerURL, upstream: base + "/mcp")
        try await ProxyHarness.withProxy(configuration) { proxyURL in
          let token = try issuer.token(scope: "notes:read notes:write")
          for id in 1...4 {
            let response = try await TestHTTPClient().postJSON(
              proxyURL, ProxyHarness.toolCall("add_note", id: id),
              headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == 200)
            #expect(response.text == CountingUpstream.result)
          }
          #expect(upstream.connections == 1)
        }
      }
    }
  }

  /// A caller running on an event loop of the client's group (`latchkey proxy` serves each
  /// connection on its own) gets a new upstream connection on that loop, so the answer wakes no
  /// other thread; when only another loop's connection is idle, it is still reused rather than
  /// a new one opened. A loop outside the client's group is not used.
  @Test func aCallerOnAnEventLoopConnectsOnThatLoop() async throws {
    let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let (first, second) = (loops.next(), loops.next())
    #expect(first !== second)
    try await CountingUpstream.run { upstream, base in
      let target = try #require(UpstreamTarget(base + "/mcp"))
      let client = UpstreamClient(target: target, group: loops)
      #expect(try await Self.call(client, on: second) == CountingUpstream.result)
      #expect(client.pool.idleEventLoops.map(ObjectIdentifier.init) == [ObjectIdentifier(second)])
      #expect(try await Self.call(client, on: first) == CountingUpstream.result)
      #expect(upstream.connections == 1)
      let other = UpstreamClient(target: target, group: loops)
      #expect(try await Self.call(other, on: first) == CountingUpstream.result)
      #expect(other.pool.idleEventLoops.map(ObjectIdentifier.init) == [ObjectIdentifier(first)])
      #expect(upstream.connections == 2)
      // The default client's group is NIO's singleton: a caller on `first` does not move it.
      let singletonClient = try Self.client(base)
      #expect(try await Self.call(singletonClient, on: first) == CountingUpstream.result)
      #expect(singletonClient.pool.idleEventLoops.allSatisfy { $0 !== first })
      #expect(upstream.connections == 3)
    }
    try await loops.shutdownGracefully()
  }

  /// `call` from a task that prefers `loop` as its executor.
  static func call(_ client: UpstreamClient, on loop: any EventLoop) async throws -> String {
    try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) { () async throws -> String in
      try await Self.call(client)
    }
  }

  @Test func connectionCloseFromTheUpstreamIsHonoured() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = try Self.client(base)
      for _ in 1...3 {
        #expect(try await Self.call(client, path: "/close") == CountingUpstream.result)
      }
      #expect(upstream.connections == 3)
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 4)
    }
  }

  /// The upstream closes a kept-alive connection while it is idle (its idle timeout); the
  /// next call must not fail on the dead connection but open a new one.
  @Test func upstreamClosingAnIdleConnectionIsSurvived() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = try Self.client(base)
      #expect(try await Self.call(client, path: "/drop") == CountingUpstream.result)
      try await Task.sleep(for: .milliseconds(200))
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 2)
    }
  }

  /// While an event stream is open its connection is busy: a call meanwhile gets another
  /// one. Once the stream has ended cleanly, its connection may serve again.
  @Test func openEventStreamKeepsItsConnectionToItself() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = try Self.client(base)
      let events = try await client.send(
        method: .get, path: "/events", headerFields: [.accept: "text/event-stream"], body: nil)
      #expect(events.headerFields[.contentType] == "text/event-stream")
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 2)
      #expect(
        try await Self.text(of: events.body)
          == "id: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\n")
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 2)
    }
  }

  @Test func concurrentCallsGetSeparateConnections() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = try Self.client(base)
      async let first = Self.call(client, path: "/slow")
      async let second = Self.call(client, path: "/slow")
      #expect(try await [first, second] == [CountingUpstream.result, CountingUpstream.result])
      #expect(upstream.connections == 2)
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 2)
    }
  }

  /// A response nobody read to its end leaves unread bytes on its connection: it is closed,
  /// never handed to the next call.
  @Test func unreadOrClosedResponsesDoNotLendTheirConnection() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = try Self.client(base)
      do {
        let unread = try await client.send(
          method: .post, path: "/mcp", headerFields: [:], body: ByteBuffer(string: "{}"))
        #expect(unread.status == .ok)
      }
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 2)
      let events = try await client.send(
        method: .get, path: "/events", headerFields: [:], body: nil)
      events.body.close()
      #expect(try await Self.text(of: events.body).isEmpty)
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 3)
    }
  }
  /// With room for one idle connection, the second of two concurrent calls closes its own;
  /// the next pair needs one new connection.
  @Test func idleConnectionsBeyondTheCapAreClosed() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = UpstreamClient(
        target: try #require(UpstreamTarget(base + "/mcp")), maximumIdleConnections: 1)
      for _ in 1...2 {
        async let first = Self.call(client, path: "/slow")
        async let second = Self.call(client, path: "/slow")
        #expect(try await [first, second] == [CountingUpstream.result, CountingUpstream.result])
      }
      #expect(upstream.connections == 3)
    }
  }

  @Test func aConnectionIdleLongerThanTheIdleTimeoutIsNotReused() async throws {
    try await CountingUpstream.run { upstream, base in
      let client = UpstreamClient(
        target: try #require(UpstreamTarget(base + "/mcp")),
        idleConnectionTimeout: .milliseconds(100))
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 1)
      try await Task.sleep(for: .milliseconds(250))
      #expect(try await Self.call(client) == CountingUpstream.result)
      #expect(upstream.connections == 2)
    }
  }
}
