import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyDemo
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyServer
import Logging

/// `latchkey-bench serve-notes --port P [--issuer URL --resource URL] [--audit log|none]`: the
/// example notes MCP server for scripts/bench's protected-vs-unprotected `tools/call`
/// comparison, one process per variant so both run the same code except the middleware.
///
/// With `--issuer` the server is `buildNotesApplication` behind `MCPAuthMiddleware`, verifying
/// JWT access tokens against the issuer's JWKS (fetched over loopback), with the `tools/call`
/// rate limit off; `--audit log` (default) keeps the default one-log-line-per-call audit sink,
/// written with `TextLogHandler` as `latchkey proxy` writes it.
/// Without `--issuer` it is `buildUnprotectedNotesApplication`. Runs until killed.
enum NotesServerCommand {
  struct SilentSink: ToolCallAuditSink {
    func record(_ record: ToolCallAuditRecord) async {}
  }

  static func run(_ arguments: [String]) async throws {
    var port = 0
    var issuer: String?
    var resource: String?
    var audit = "log"
    var iterator = arguments.makeIterator()
    while let flag = iterator.next() {
      guard let value = iterator.next() else { throw BenchUsage.missingValue(flag) }
      switch flag {
      case "--port": port = Int(value) ?? 0
      case "--issuer": issuer = value
      case "--resource": resource = value
      case "--audit": audit = value
      default: throw BenchUsage.unknownFlag(flag)
      }
    }
    let url = resource ?? "http://127.0.0.1:\(port)/mcp"
    // The handler `latchkey serve` and `latchkey proxy` write their text lines with.
    var logger = Logger(label: "latchkey.notes") { TextLogHandler(label: $0) }
    logger.logLevel = .info
    let configuration = NotesConfiguration(
      port: port, resource: url, issuer: issuer ?? "http://127.0.0.1:9",
      toolCallLimit: .unlimited)
    guard let issuer else {
      let app = try buildUnprotectedNotesApplication(configuration: configuration, logger: logger)
      try await app.runService()
      return
    }
    let keys = JWKSKeySource(
      issuer: issuer, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true), logger: logger)
    let verifier = JWTAccessTokenVerifier(issuer: issuer, resource: url, keySource: keys)
    let sink: any ToolCallAuditSink =
      audit == "none"
      ? SilentSink()
      : LoggingToolCallAuditSink(
        logger: Logger(label: "latchkey.mcp.audit") { TextLogHandler(label: $0) })
    let app = try buildNotesApplication(
      configuration: configuration, verifier: verifier, auditSink: sink, logger: logger)
    try await app.runService()
  }
}
