public import Foundation
public import LatchkeyCore

/// One audit line per `tools/call`. Holds ids and outcomes only, never a token.
public struct ToolCallAuditRecord: Sendable, Equatable {
  /// When the call was decided.
  public var time: Date
  /// The token's `sub`.
  public var subject: String
  /// The token's `client_id`.
  public var clientID: String?
  /// The protected resource (MCP endpoint URL).
  public var resource: String
  /// `params.name` of the `tools/call`.
  public var tool: String?
  /// Allowed, denied for scope, or rate-limited.
  public var decision: ToolCallDecision
  /// Time from authorization to the handler's response head, when the call was allowed.
  public var latency: Duration?
  /// `http_<status>` of the handler's response, `handler_error`, or the refusal's status.
  public var outcome: String
  /// The API key the call was made with (id and name, never the key); nil for OAuth tokens.
  public var apiKey: APIKeyReference?

  /// Creates a record; the authorizer fills one per `tools/call` of a request.
  public init(
    time: Date, subject: String, clientID: String?, resource: String, tool: String?,
    decision: ToolCallDecision, latency: Duration?, outcome: String,
    apiKey: APIKeyReference? = nil
  ) {
    self.time = time
    self.subject = subject
    self.clientID = clientID
    self.resource = resource
    self.tool = tool
    self.decision = decision
    self.latency = latency
    self.outcome = outcome
    self.apiKey = apiKey
  }

  /// The record as a Core `AuditEvent` of type `mcp.tool_call`, for `AuditLog` stores.
  public var auditEvent: AuditEvent {
    var detail = "tool=\(tool ?? "-") decision=\(decision.rawValue) outcome=\(outcome)"
    if let latency { detail += " latency_ms=\(latencyMilliseconds(latency))" }
    if let apiKey {
      detail += " api_key=\(apiKey.id) api_key_name=\(BearerChallenge.quoted(apiKey.name))"
    }
    let succeeded = decision == .allowed && outcome.hasPrefix("http_2")
    return AuditEvent(
      time: time, type: "mcp.tool_call", outcome: succeeded ? .success : .failure,
      userID: subject, clientID: clientID, resource: resource, detail: detail)
  }

  /// Milliseconds with three decimals, rounded to the microsecond (as `%.3f` prints them).
  func latencyMilliseconds(_ latency: Duration) -> String {
    MillisecondsText.fixed(latency, decimals: 3)
  }
}
