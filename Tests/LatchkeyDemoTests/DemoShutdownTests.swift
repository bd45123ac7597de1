import Foundation
import LatchkeyCommands
import LatchkeyTestSupport
import Testing

/// Stopping the demo (what SIGINT/SIGTERM trigger) ends both servers promptly even while a
/// client holds an MCP event stream open: the stream is ended, not cut off by the time limit.
@Suite("Demo: shutdown")
struct DemoShutdownTests {
  @Test func stopEndsBothServersWithAnOpenEventStream() async throws {
    let directory = DemoHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let runtime = try await DemoRuntime.start(
      DemoHarness.options(directory: directory), logger: DemoHarness.quietLogger)
    let token: String
    let session: String
    do {
      token = try await DemoHarness.signIn(runtime, scope: "notes:read").tokens.accessToken
      session = try await DemoHarness.rawSession(runtime, token: token)
    } catch {
      try? await runtime.stop()
      throw error
    }
    let stream = Task {
      try? await TestHTTPClient(timeout: 30).send(
        "GET", runtime.mcpURL,
        headers: [
          "Authorization": "Bearer \(token)", "Accept": "text/event-stream",
          "Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-06-18",
        ], body: nil)
    }
    try await Task.sleep(for: .milliseconds(200))
    let started = ContinuousClock.now
    try await runtime.stop()
    // Before the 3 s backstop: the endpoint ended its sessions, so the event stream finished
    // normally (a cut connection would give no response at all: the status check below is the
    // real discriminator; 2.1 s was seen on a loaded 2-core machine, so the bound is the
    // backstop itself).
    #expect(ContinuousClock.now - started < .seconds(3))
    #expect(await stream.value?.status == 200)
    let probe = try? await TestHTTPClient(timeout: 2).get(runtime.issuerURL + "/healthz")
    #expect(probe == nil)
  }
}
