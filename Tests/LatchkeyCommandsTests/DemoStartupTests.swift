import Foundation
import LatchkeyCore
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

  /// The picked MCP port is taken by another demo, which answers: its metadata names the other
  /// demo's issuer, so the probe does not take it for this demo's server (a CI run once
  /// signed in at another test's demo this way), and the port is picked again.
  @Test func aPickedPortTakenByAnotherAnsweringDemoIsPickedAgain() async throws {
    let otherDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-demo-startup-\(UUID().uuidString)"
    ).path
    let directory = otherDirectory + "-second"
    defer {
      try? FileManager.default.removeItem(atPath: otherDirectory)
      try? FileManager.default.removeItem(atPath: directory)
    }
    let other = try await DemoRuntime.start(
      Self.options(port: 0, mcpPort: 0, directory: otherDirectory), logger: Self.logger)
    let picks = Mutex<[Int]>([])
    do {
      let runtime = try await DemoRuntime.start(
        Self.options(port: 0, mcpPort: 0, directory: directory), logger: Self.logger,
        metrics: nil,
        pickPort: { host in
          // The second pick (the MCP port of the first attempt) is the other demo's.
          let port =
            picks.withLock { $0.count } == 1 ? other.mcpPort : try await FreePort.pick(host: host)
          picks.withLock { $0.append(port) }
          return port
        })
      let picked = picks.withLock { $0 }
      #expect(picked.count == 4)
      #expect(runtime.mcpPort == picked[3])
      #expect(runtime.mcpPort != other.mcpPort)
      let metadata = try await TestHTTPClient().get(
        "http://\(DemoOptions.host):\(runtime.mcpPort)/.well-known/oauth-protected-resource/mcp")
      #expect(
        DemoReadiness.isResourceMetadata(
          Array(metadata.body), resource: runtime.mcpURL, issuer: runtime.issuerURL))
      try await runtime.stop()
    } catch {
      try? await other.stop()
      throw error
    }
    try await other.stop()
  }
}

/// The readiness probe takes only its own demo's answer: a 200 from whatever holds the port is
/// not enough when the caller can recognize its server.
@Suite struct DemoReadinessTests {
  static let url = "http://127.0.0.1:4100/.well-known/oauth-protected-resource/mcp"
  static let resource = "http://127.0.0.1:4100/mcp"

  static func metadata(issuer: String) -> Result<HTTPFetchResponse, HTTPFetchError> {
    StubHTTPFetcher.json(
      #"{"resource":"\#(resource)","authorization_servers":["\#(issuer)"]}"#)
  }

  static func waits(for answer: Result<HTTPFetchResponse, HTTPFetchError>) async throws {
    let fetcher = StubHTTPFetcher([url: answer])
    try await DemoReadiness.wait(
      for: url, fetcher: fetcher, ending: ServiceGroupEnding(), timeout: .milliseconds(300),
      identifies: {
        DemoReadiness.isResourceMetadata($0, resource: resource, issuer: "http://127.0.0.1:4000")
      })
  }

  @Test func itsOwnMetadataIsReady() async throws {
    try await Self.waits(for: Self.metadata(issuer: "http://127.0.0.1:4000"))
  }

  @Test(arguments: [
    metadata(issuer: "http://127.0.0.1:4999"),
    StubHTTPFetcher.json(#"{"resource":"http://127.0.0.1:4100/mcp"}"#),
    StubHTTPFetcher.json("not json"),
    .success(HTTPFetchResponse(status: 404, headers: [:], body: [])),
  ])
  func anotherServersAnswerIsNotReady(answer: Result<HTTPFetchResponse, HTTPFetchError>)
    async throws
  {
    do {
      try await Self.waits(for: answer)
      Issue.record("another server's answer was taken as this demo's")
    } catch DemoError.notListening(let url) {
      #expect(url == Self.url)
    }
  }
}
