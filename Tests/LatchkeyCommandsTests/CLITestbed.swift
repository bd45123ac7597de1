import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyTestSupport
import Synchronization
import Testing

@testable import LatchkeyCommands

/// A console that records what a command writes and answers prompts from a script.
final class BufferConsole: Console {
  struct State {
    var out = ""
    var err = ""
    var stdin = ""
    var interactive = false
    var secrets: [String] = []
    var confirmAnswer = false
  }
  let state = Mutex(State())

  func write(_ text: String) { state.withLock { $0.out += text + "\n" } }
  func writeError(_ text: String) { state.withLock { $0.err += text + "\n" } }
  func readStandardInput() -> String { state.withLock { $0.stdin } }
  var isInteractive: Bool { state.withLock { $0.interactive } }
  func readSecret(prompt: String) -> String? {
    state.withLock { $0.secrets.isEmpty ? nil : $0.secrets.removeFirst() }
  }
  func confirm(_ question: String) -> Bool { state.withLock { $0.confirmAnswer } }
}

/// What one CLI run produced.
struct CLIResult {
  let code: Int32
  let out: String
  let err: String

  /// The stdout parsed as JSON.
  func json() throws -> Any {
    try JSONSerialization.jsonObject(with: Data(out.utf8))
  }

  func object() throws -> [String: Any] {
    try #require(try json() as? [String: Any])
  }

  func array() throws -> [[String: Any]] {
    try #require(try json() as? [[String: Any]])
  }
}

/// A temporary database and configuration, a fixed clock, and a way to run `latchkey` on them
/// in-process. The database path reaches the CLI through `LATCHKEY_DATABASE` and the
/// configuration through `LATCHKEY_CONFIG`, exactly as an operator's shell would pass them.
struct CLITestbed {
  let directory: URL
  let databasePath: String
  let configPath: String
  let clock = FixedClock(Fixtures.epoch)
  let store: SQLiteStore

  init(issuer: String = "http://127.0.0.1:9999", extraConfig: String = "") throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    databasePath = directory.appendingPathComponent("latchkey.sqlite").path
    configPath = directory.appendingPathComponent("latchkey.json").path
    let config = """
      {"issuer": "\(issuer)", "password_hash_log_n": 4, "database_path": "ignored.sqlite"\(extraConfig)}
      """
    try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
    store = try SQLiteStore(path: databasePath)
  }

  var environment: [String: String] {
    ["LATCHKEY_CONFIG": configPath, "LATCHKEY_DATABASE": databasePath]
  }

  /// Runs `latchkey arguments…` and returns exit code and output.
  func run(
    _ arguments: String..., stdin: String = "", interactive: Bool = false,
    secrets: [String] = [], confirm: Bool = false
  ) async -> CLIResult {
    let console = BufferConsole()
    console.state.withLock {
      $0.stdin = stdin
      $0.interactive = interactive
      $0.secrets = secrets
      $0.confirmAnswer = confirm
    }
    let context = CommandContext(console: console, clock: clock, environment: environment)
    let code = await LatchkeyCLI.run(arguments, context: context)
    let (out, err) = console.state.withLock { ($0.out, $0.err) }
    return CLIResult(code: code, out: out, err: err)
  }

  /// The audit events the CLI wrote, oldest first.
  func cliAudit() async throws -> [AuditEvent] {
    try await store.auditEvents(matching: AuditQuery(limit: 1000)).filter {
      $0.type.hasPrefix("cli.")
    }
  }
}

extension CLITestbed {
  /// Runs with an argument array (for table-driven tests).
  func run(arguments: [String], stdin: String = "") async -> CLIResult {
    let console = BufferConsole()
    console.state.withLock { $0.stdin = stdin }
    let context = CommandContext(console: console, clock: clock, environment: environment)
    let code = await LatchkeyCLI.run(arguments, context: context)
    let (out, err) = console.state.withLock { ($0.out, $0.err) }
    return CLIResult(code: code, out: out, err: err)
  }
}
