import Foundation
import LatchkeyCore

/// The `--json` form and table of grants.
enum GrantRendering {
  static func status(_ grant: Grant, now: Date) -> String {
    if grant.revokedAt != nil { return "revoked" }
    return grant.isLive(at: now) ? "live" : "expired"
  }

  static func json(_ grant: Grant, now: Date) -> JSONValue {
    .object([
      "grant_id": .string(grant.id),
      "user_id": .string(grant.userID),
      "client_id": .string(grant.clientID),
      "resource": .string(grant.resource),
      "scopes": JSONValue(grant.scopes.tokens),
      "status": .string(status(grant, now: now)),
      "created_at": JSONValue(grant.createdAt),
      "expires_at": JSONValue(grant.expiresAt),
      "revoked_at": JSONValue(grant.revokedAt),
      "revocation_reason": JSONValue(grant.revocationReason),
    ])
  }

  static func table(_ grants: [Grant], now: Date) -> String {
    var table = Table([
      "GRANT ID", "USER", "CLIENT", "RESOURCE", "SCOPES", "STATUS", "CREATED", "EXPIRES",
    ])
    for grant in grants {
      table.append([
        grant.id, grant.userID, grant.clientID, grant.resource, grant.scopes.parameter,
        status(grant, now: now), TimeText.timestamp(grant.createdAt),
        TimeText.timestamp(grant.expiresAt),
      ])
    }
    return table.rendered()
  }
}
