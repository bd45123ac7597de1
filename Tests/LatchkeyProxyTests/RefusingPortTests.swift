import LatchkeyTestSupport
import NIOCore
import NIOPosix
import Testing

/// `RefusingPort` holds its port: connections are refused, and no server can bind it, so an
/// "upstream down" test never reaches another test's server there.
@Suite struct RefusingPortTests {
  @Test func theHeldPortRefusesConnectionsAndCannotBeBound() async throws {
    try await RefusingPort.with { port in
      await #expect(throws: (any Error).self) {
        try await TestHTTPClient().get("http://127.0.0.1:\(port)/")
      }
      await #expect(throws: (any Error).self) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
          .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
          .bind(host: "127.0.0.1", port: port).get()
        try await channel.close()
      }
    }
  }
}
