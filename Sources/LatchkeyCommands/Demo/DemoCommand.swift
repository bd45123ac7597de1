import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyMCP
import LatchkeyServer
import Logging

/// `latchkey demo`: the authorization server and the example notes MCP server in one process,
/// on loopback, with a demo user; prints what to paste into an MCP client (docs/demo.md).
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the authorization server and the example notes MCP server together.",
    discussion: """
      Both servers listen on 127.0.0.1. The demo user is created, or its password reset, at \
      every start; the password comes from --password, else $LATCHKEY_DEMO_PASSWORD, else it \
      is generated and printed once to stderr. Clients, grants, tokens and keys live in \
      --data-dir and survive restarts. Stop with Ctrl-C (SIGINT) or SIGTERM.
      """)

  @Option(name: .long, help: "The demo user's name.")
  var user = "demo"

  @Option(
    name: .long,
    help: "The demo user's password (default: $LATCHKEY_DEMO_PASSWORD, else generated).")
  var password: String?

  @Option(name: .long, help: "Authorization server port (0 picks a free one).")
  var port = 8080

  @Option(name: .customLong("mcp-port"), help: "Notes MCP server port (0 picks a free one).")
  var mcpPort = 8081

  @Option(name: .customLong("data-dir"), help: "Directory of the SQLite database.")
  var dataDir = "./.latchkey"

  @Option(
    name: .customLong("tool-calls-per-minute"),
    help: "tools/call per minute per client and user (0 turns the limit off).")
  var toolCallsPerMinute = 60

  @Option(
    name: .customLong("allowed-origin"),
    help: """
      A browser origin (scheme://host[:port]) allowed to call the MCP endpoint besides its own; \
      repeatable. Requests without Origin are always allowed.
      """)
  var allowedOrigins: [String] = []

  @Option(
    name: .long,
    help: """
      JSON configuration file for token lifetimes, registration, consent and housekeeping \
      (docs/configuration.md); issuer, addresses, database and resources stay the demo's.
      """)
  var config: String?

  @Option(
    name: .customLong("metrics-listen"),
    help: "Serve Prometheus metrics of both servers on this host:port (off by default).")
  var metricsListen: String?

  func validate() throws {
    if user.isEmpty || user.contains(where: \.isWhitespace) {
      throw ValidationError("The user name must be non-empty and contain no spaces.")
    }
    if let password, password.count < PasswordInput.minimumLength {
      throw ValidationError(
        "The password must have at least \(PasswordInput.minimumLength) characters.")
    }
    if toolCallsPerMinute < 0 {
      throw ValidationError("--tool-calls-per-minute must be 0 (no limit) or more.")
    }
    for origin in allowedOrigins where origin != "null" && OriginRule.serialized(origin) == nil {
      throw ValidationError("--allowed-origin must be scheme://host[:port], got \(origin).")
    }
  }

  func run() async throws {
    let context = CommandContext.current
    var logger = Logger(label: "latchkey.demo") { TextLogHandler(label: $0) }
    var base: ServerConfiguration?
    if let config {
      do {
        base = try ServerConfiguration.load(path: config)
      } catch {
        context.console.writeError("error: \(error).")
        throw ExitCode.failure
      }
    }
    var logLevel = base?.logLevel ?? .info
    if let name = context.environment["LATCHKEY_LOG_LEVEL"] {
      guard let level = ConfigurationChoice.match(name, as: Logger.Level.self) else {
        context.console.writeError(
          "error: LATCHKEY_LOG_LEVEL must be trace, debug, info, notice, warning, error or critical."
        )
        throw ExitCode.failure
      }
      logLevel = level
    }
    logger.logLevel = logLevel
    let options = DemoOptions(
      username: user, password: password, port: port, mcpPort: mcpPort, dataDirectory: dataDir,
      toolCallsPerMinute: toolCallsPerMinute, handlesSignals: true,
      allowedOrigins: allowedOrigins, baseConfiguration: base, metricsListen: metricsListen)
    let runtime: DemoRuntime
    do {
      runtime = try await DemoRuntime.start(
        options, environment: context.environment, logger: logger)
    } catch {
      context.console.writeError("error: \(CLIError.sentence(for: error)).")
      throw ExitCode.failure
    }
    let console = context.console
    if let generated = runtime.generatedPassword {
      console.writeError("demo password for \(user) (shown once): \(generated)")
    }
    console.write("issuer:   \(runtime.issuerURL)")
    console.write("MCP URL:  \(runtime.mcpURL)")
    console.write("user:     \(user)")
    if let metricsURL = runtime.metricsURL { console.write("metrics:  \(metricsURL)") }
    console.write("add it to an MCP client, e.g.: \(runtime.clientConfigurationLine)")
    console.writeError(
      "ready issuer=\(runtime.issuerURL) mcp=\(runtime.mcpURL) (Ctrl-C stops both servers)")
    try await runtime.waitUntilStopped()
    console.writeError("stopped")
  }
}
