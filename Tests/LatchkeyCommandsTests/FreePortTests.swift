import NIOCore
import NIOPosix
import Testing

@testable import LatchkeyCommands

/// `--port 0` picks below the kernel's ephemeral range, so a server elsewhere that binds port 0
/// cannot be handed the demo's port between the probe and the demo's own bind.
@Suite struct FreePortTests {
  @Test func aPickedPortIsOutsideTheEphemeralRangeAndFree() async throws {
    for _ in 0..<5 {
      let port = try await FreePort.pick(host: "127.0.0.1")
      #expect(FreePort.candidates.contains(port))
      let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: port).get()
      try await channel.close()
    }
  }

  @Test func aTakenPortIsNotOffered() async throws {
    let taken = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(taken.localAddress?.port)
    #expect(try await FreePort.probe(host: "127.0.0.1", port: port) == nil)
    try await taken.close()
  }
}
