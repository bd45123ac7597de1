import LatchkeyCore

/// The `--json` form, table and log line of audit events.
enum AuditRendering {
  static func json(_ event: AuditEvent) -> JSONValue {
    .object([
      "id": JSONValue(event.id),
      "time": JSONValue(event.time),
      "type": .string(event.type),
      "outcome": .string(event.outcome.rawValue),
      "user_id": JSONValue(event.userID),
      "client_id": JSONValue(event.clientID),
      "resource": JSONValue(event.resource),
      "scopes": event.scopes.map { JSONValue($0.tokens) } ?? .null,
      "source_address": JSONValue(event.sourceAddress),
      "detail": JSONValue(event.detail),
    ])
  }

  static func table(_ events: [AuditEvent]) -> String {
    var table = Table(["ID", "TIME", "TYPE", "OUTCOME", "USER", "CLIENT", "RESOURCE", "DETAIL"])
    for event in events {
      table.append([
        event.id.map(String.init) ?? "-", TimeText.timestamp(event.time), event.type,
        event.outcome.rawValue, event.userID ?? "-", event.clientID ?? "-",
        event.resource ?? "-", event.detail ?? "",
      ])
    }
    return table.rendered()
  }

  /// One line per event for `audit tail`, which streams and so cannot align columns.
  static func line(_ event: AuditEvent) -> String {
    var parts = [
      TimeText.timestamp(event.time), "#\(event.id.map(String.init) ?? "-")", event.type,
      event.outcome.rawValue,
    ]
    if let user = event.userID { parts.append("user=\(user)") }
    if let client = event.clientID { parts.append("client=\(client)") }
    if let resource = event.resource { parts.append("resource=\(resource)") }
    if let scopes = event.scopes, !scopes.isEmpty { parts.append("scope=\"\(scopes.parameter)\"") }
    if let address = event.sourceAddress { parts.append("from=\(address)") }
    if let detail = event.detail, !detail.isEmpty { parts.append(detail) }
    return parts.joined(separator: " ")
  }
}
