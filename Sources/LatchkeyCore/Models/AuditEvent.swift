public import Foundation

/// One line of the audit trail. Never carries a secret: ids, names, scopes and outcomes only.
public struct AuditEvent: Sendable, Equatable, Codable {
  public enum Outcome: String, Sendable, Codable, CaseIterable {
    case success
    case failure
  }

  /// Assigned by the log on append; orders events.
  public var id: Int64?
  public var time: Date
  /// Dotted event type, e.g. `token.issued`, `login.failed`, `refresh.reuse_detected`.
  public var type: String
  public var outcome: Outcome
  public var userID: String?
  public var clientID: String?
  public var resource: String?
  public var scopes: ScopeSet?
  public var sourceAddress: String?
  /// Free text for operators (an error code, a tool name); never a secret.
  public var detail: String?

  public init(
    id: Int64? = nil, time: Date, type: String, outcome: Outcome, userID: String? = nil,
    clientID: String? = nil, resource: String? = nil, scopes: ScopeSet? = nil,
    sourceAddress: String? = nil, detail: String? = nil
  ) {
    self.id = id
    self.time = time
    self.type = type
    self.outcome = outcome
    self.userID = userID
    self.clientID = clientID
    self.resource = resource
    self.scopes = scopes
    self.sourceAddress = sourceAddress
    self.detail = detail
  }
}

/// Which audit events a query returns. Every field narrows; nil fields do not.
public struct AuditQuery: Sendable, Equatable {
  public var since: Date?
  public var until: Date?
  public var afterID: Int64?
  public var userID: String?
  public var clientID: String?
  public var resource: String?
  public var type: String?
  public var outcome: AuditEvent.Outcome?
  public var limit: Int
  /// Return the newest `limit` events, newest first (for `latchkey audit tail`).
  public var newestFirst: Bool

  public init(
    since: Date? = nil, until: Date? = nil, afterID: Int64? = nil, userID: String? = nil,
    clientID: String? = nil, resource: String? = nil, type: String? = nil,
    outcome: AuditEvent.Outcome? = nil, limit: Int = 100, newestFirst: Bool = false
  ) {
    self.since = since
    self.until = until
    self.afterID = afterID
    self.userID = userID
    self.clientID = clientID
    self.resource = resource
    self.type = type
    self.outcome = outcome
    self.limit = limit
    self.newestFirst = newestFirst
  }

  /// Whether an event passes the filter (used by the in-memory log and by tests).
  public func matches(_ event: AuditEvent) -> Bool {
    if let since, event.time < since { return false }
    if let until, event.time >= until { return false }
    if let afterID, let id = event.id, id <= afterID { return false }
    if let userID, event.userID != userID { return false }
    if let clientID, event.clientID != clientID { return false }
    if let resource, event.resource != resource { return false }
    if let type, event.type != type { return false }
    if let outcome, event.outcome != outcome { return false }
    return true
  }
}
