import Foundation
import LatchkeyCommands
import Testing

/// `latchkey demo` argument checks (the running demo is covered by LatchkeyDemoTests and
/// scripts/e2e-python).
@Suite struct DemoCommandTests {
  @Test(arguments: [
    ["demo", "--tool-calls-per-minute", "-1"],
    ["demo", "--password", "short"],
    ["demo", "--user", ""],
    ["demo", "--user", "two words"],
    ["demo", "--port", "eighty"],
  ])
  func invalidArgumentsAreUsageErrors(_ arguments: [String]) async throws {
    let testbed = try CLITestbed()
    let result = await testbed.run(arguments: arguments)
    #expect(result.code == 64)
    #expect(!result.err.isEmpty)
  }

  @Test func anOutOfRangePortFailsBeforeAnythingListens() async throws {
    let testbed = try CLITestbed()
    let directory = testbed.directory.appendingPathComponent("demo").path
    let result = await testbed.run(
      arguments: ["demo", "--port", "70000", "--password", "long enough", "--data-dir", directory])
    #expect(result.code == 1)
    #expect(result.err.contains("70000 is not a port number"))
    #expect(!FileManager.default.fileExists(atPath: directory))
  }

  @Test func helpListsEveryFlag() async throws {
    let testbed = try CLITestbed()
    let result = await testbed.run(arguments: ["demo", "--help"])
    #expect(result.code == 0)
    for flag in [
      "--user", "--password", "--port", "--mcp-port", "--data-dir", "--tool-calls-per-minute",
    ] {
      #expect(result.out.contains(flag), "\(flag)")
    }
  }
}
