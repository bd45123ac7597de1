import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeyCommands

/// What an operator sees when a configuration file names a key no setting has: the commands
/// refuse to start with the key's path and the file, and keep their exit codes (64 for `serve`,
/// `proxy` and the admin commands, 1 for `demo`).
@Suite("configuration: unknown keys stop every command")
struct UnknownConfigurationKeyTests {
  static func run(_ arguments: [String]) async -> (code: Int32, err: String) {
    let console = BufferConsole()
    let code = await LatchkeyCLI.run(
      arguments, context: CommandContext(console: console, environment: [:]))
    return (code, console.state.withLock { $0.err })
  }

  @Test(arguments: [["serve"], ["client", "list"], ["doctor"]])
  func serveAndTheAdminCommandsExitWith64(command: [String]) async throws {
    let path = try ServeConfigurationTests.configFile(
      #"{"issuer": "https://auth.example.com", "tokens": {"acess_token": 60}}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = await Self.run(command + ["--config", path])
    #expect(result.code == 64)
    #expect(result.err.contains(#"unknown key "tokens.acess_token" in \#(path)"#))
  }

  @Test func proxyExitsWith64() async throws {
    let path = try ServeConfigurationTests.configFile(
      #"{"upstream": "http://127.0.0.1:9000/mcp", "introspection": {"endpoint": "e", "client_id": "c", "cache": 1}}"#
    )
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = await Self.run(["proxy", "--config", path])
    #expect(result.code == 64)
    #expect(result.err.contains(#"unknown key "introspection.cache" in \#(path)"#))
  }

  @Test func demoExitsWith1() async throws {
    let path = try ServeConfigurationTests.configFile(
      #"{"issuer": "http://127.0.0.1:1", "resources": [{"url": "u", "scopes": [{"name": "a", "descripton": "A"}]}]}"#
    )
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = await Self.run(["demo", "--config", path, "--password", "long-enough-password"])
    #expect(result.code == 1)
    #expect(
      result.err == #"error: unknown key "resources[0].scopes[0].descripton" in \#(path)."# + "\n")
  }

  @Test func aWrongValueNamesTheAllowedOnes() async throws {
    let path = try ServeConfigurationTests.configFile(
      #"{"issuer": "https://auth.example.com", "log_level": "loud"}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = await Self.run(["serve", "--config", path])
    #expect(result.code == 64)
    #expect(
      result.err.contains(
        #""log_level" in \#(path) is "loud"; allowed values: trace, debug, info, notice, warning, error, critical"#
      ))
  }
}
