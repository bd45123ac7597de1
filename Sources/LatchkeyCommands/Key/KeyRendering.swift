import Foundation
import LatchkeyCore

/// The `--json` form and table of signing keys. Never includes the private key.
enum KeyRendering {
  static func json(_ key: SigningKeyRecord, now: Date, retirableAt: Date?) -> JSONValue {
    .object([
      "kid": .string(key.kid),
      "algorithm": .string(key.algorithm),
      "state": .string(key.state.rawValue),
      "created_at": JSONValue(key.createdAt),
      "age_seconds": JSONValue(Int64(now.timeIntervalSince(key.createdAt))),
      "deactivated_at": JSONValue(key.deactivatedAt),
      "retired_at": JSONValue(key.retiredAt),
      "retirable_at": JSONValue(retirableAt),
    ])
  }

  static func table(_ keys: [SigningKeyRecord], now: Date, accessTokenLifetime: Int) -> String {
    var table = Table(["KID", "ALG", "STATE", "CREATED", "AGE", "DEACTIVATED", "RETIRABLE"])
    for key in keys {
      table.append([
        key.kid, key.algorithm, key.state.rawValue, TimeText.timestamp(key.createdAt),
        TimeText.age(from: key.createdAt, to: now), TimeText.timestamp(key.deactivatedAt),
        TimeText.timestamp(retirableAt(key, accessTokenLifetime: accessTokenLifetime)),
      ])
    }
    return table.rendered()
  }

  /// When every token a published key signed has expired: one access-token lifetime after it
  /// stopped signing. Nil for the active key (still signing) and retired keys.
  static func retirableAt(_ key: SigningKeyRecord, accessTokenLifetime: Int) -> Date? {
    guard key.state == .published else { return nil }
    return (key.deactivatedAt ?? key.createdAt).addingTimeInterval(
      TimeInterval(accessTokenLifetime))
  }
}
