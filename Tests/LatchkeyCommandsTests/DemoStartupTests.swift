import Foundation
import LatchkeyTestSupport
import Logging
import Synchronization
import Testing

@testable import LatchkeyCommands

/// A demo port bound by someone else: the start stops with the bind error instead of polling
/// for a listener until the startup timeout, and a picked port taken before the demo bound it
/// is picked again.
@Suite struct DemoStartupTests {
  static func options(port: Int, mcpPort: Int, directory: String) -> DemoOptions {
    DemoOptions(
      password: "demo password 1234", port: port, mcpPort: mcpPort, dataDirectory: directory,
      passwordHashLogN: 4)
  }

  /// A port held by a socket that accepts and never answers, and a fresh data directory.
  static func withTakenPort(_ body: (Int, String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-demo-startup-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await SilentListener.with { taken in try await body(taken, directory) }
  }

  static var logger: Logger {
    var logger = Logger(label: "latchkey.demo.startup.test")
    logger.logLevel = .critical
    return logger
  }

  @Test func aGivenPortBoundElsewhereStopsTheStartWithTheBindError() async throws {
    try await Self.withTakenPort { taken, directory in
      let port = try await FreePort.pick(host: DemoOptions.host)
      let picks = Mutex(0)
      do {
        let runtime = try await DemoRuntime.start(
          Self.options(port: port, mcpPort: taken, directory: directory), logger: Self.logger,
          metrics: nil,
          pickPort: { host in
            picks.withLock { $0 += 1 }
            return try await FreePort.pick(host: host)
          })
        try await runtime.stop()
        Issue.record("the demo started on a port another socket holds")
      } catch let error as DemoError {
        #expect(error.isAddressInUse, "\(error)")
        #expect("\(error)".contains("Address already in use"))
      }
      #expect(picks.withLock { $0 } == 0, "given ports are not picked again")
      // The authorization server stopped listening when the start gave up.
      await #expect(throws: (any Error).self) {
        try await TestHTTPClient().get("http://\(DemoOptions.host):\(port)/healthz")
      }
    }
  }

  @Test func aPickedPortTakenBeforeTheBindIsPickedAgain() async throws {
    try await Self.withTakenPort { taken, directory in
      let picks = Mutex<[Int]>([])
      let runtime = try await DemoRuntime.start(
        Self.options(port: 0, mcpPort: 0, directory: directory), logger: Self.logger,
        metrics: nil,
        pickPort: { host in
          // The second pick (the MCP port of the first attempt) is the taken one.
          let port =
            picks.withLock { $0.count } == 1 ? taken : try await FreePort.pick(host: host)
          picks.withLock { $0.append(port) }
          return port
        })
      let picked = picks.withLock { $0 }
      #expect(picked.count == 4)
      #expect(picked[1] == taken)
      #expect(runtime.mcpPort == picked[3])
      #expect(runtime.mcpPort != taken)
      #expect(try await TestHTTPClient().get(runtime.issuerURL + "/healthz").status == 200)
      try await runtime.stop()
    }
  }
}
