public import Foundation

/// One line of the audit trail. Never carries a secret: ids, names, scopes and outcomes only.
public struct AuditEvent: Sendable, Equatable, Codable {
  /// Whether the audited action succeeded.
  public enum Outcome: String, Sendable, Codable, CaseIterable {
    /// The action happened.
    case success
    /// The action was refused or failed.
    case failure
  }

  /// Assigned by the log on append; orders events.
  public var id: Int64?
  /// When it happened.
  public var time: Date
  /// Dotted event type, e.g. `token.issued`, `login.failed`, `refresh.reuse_detected`.
  public var type: String
  /// Whether it succeeded.
  public var outcome: Outcome
  /// The user concerned, when known.
  public var userID: String?
  /// The client concerned, when known.
  public var clientID: String?
  /// The resource concerned, when any.
  public var resource: String?
  /// The scopes concerned, when any.
  public var scopes: ScopeSet?
  /// The client address (after trusted-proxy resolution).
  public var sourceAddress: String?
  /// Free text for operators (an error code, a tool name); never a secret.
  public var detail: String?

  /// Creates an event; `id` is assigned by the log on append.
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
  /// Events at or after this time.
  public var since: Date?
  /// Events before this time.
  public var until: Date?
  /// Events with an id greater than this (for following a log).
  public var afterID: Int64?
  /// Events of this user.
  public var userID: String?
  /// Events of this client.
  public var clientID: String?
  /// Events at this resource.
  public var resource: String?
  /// Events of this dotted type.
  public var type: String?
  /// Events with this outcome.
  public var outcome: AuditEvent.Outcome?
  /// At most this many events.
  public var limit: Int
  /// Return the newest `limit` events, newest first (for `latchkey audit tail`).
  public var newestFirst: Bool

  /// Creates a query; every argument defaults to "no restriction" (and 100 events).
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
