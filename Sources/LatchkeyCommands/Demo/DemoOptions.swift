public import LatchkeyServer

/// What `latchkey demo` runs with; the command fills it from flags and the environment, tests
/// build it directly.
public struct DemoOptions: Sendable {
  /// The demo user's name (created, or reset when it exists).
  public var username: String
  /// The demo user's password; nil → generated and printed once to stderr.
  public var password: String?
  /// Authorization server port; 0 picks a free one.
  public var port: Int
  /// Notes MCP server port; 0 picks a free one.
  public var mcpPort: Int
  /// Where the SQLite database lives (`latchkey.sqlite` inside).
  public var dataDirectory: String
  /// `tools/call` per minute per (client, user); 0 turns the limit off.
  public var toolCallsPerMinute: Int
  /// scrypt cost (log2 N) for the demo user's password; lower only in tests.
  public var passwordHashLogN: Int
  /// Stop on SIGINT/SIGTERM (the command); in-process tests call `stop()` instead.
  public var handlesSignals: Bool
  /// Browser origins allowed to call the notes MCP endpoint besides its own (DNS-rebinding
  /// protection, `OriginRule`); requests without `Origin` are always allowed.
  public var allowedOrigins: [String]
  /// Token lifetimes, registration, consent and housekeeping settings from a configuration
  /// file (`--config`); the demo replaces issuer, addresses, database and resources.
  public var baseConfiguration: ServerConfiguration?
  /// `host:port` of a Prometheus metrics listener (port 0 picks a free one); nil: no metrics.
  public var metricsListen: String?

  public init(
    username: String = "demo", password: String? = nil, port: Int = 8080, mcpPort: Int = 8081,
    dataDirectory: String = "./.latchkey", toolCallsPerMinute: Int = 60,
    passwordHashLogN: Int = 15, handlesSignals: Bool = false, allowedOrigins: [String] = [],
    baseConfiguration: ServerConfiguration? = nil, metricsListen: String? = nil
  ) {
    self.metricsListen = metricsListen
    self.username = username
    self.password = password
    self.port = port
    self.mcpPort = mcpPort
    self.dataDirectory = dataDirectory
    self.toolCallsPerMinute = toolCallsPerMinute
    self.passwordHashLogN = passwordHashLogN
    self.handlesSignals = handlesSignals
    self.allowedOrigins = allowedOrigins
    self.baseConfiguration = baseConfiguration
  }

  /// The host both servers bind and every URL names: loopback only.
  public static let host = "127.0.0.1"
  /// Browser origins the demo's MCP endpoint always allows (CORS and `Origin`): the MCP
  /// Inspector's UI, so its direct mode works without a flag.
  public static let browserClientOrigins = ["http://localhost:6274"]

  public var databasePath: String { dataDirectory + "/latchkey.sqlite" }
}
