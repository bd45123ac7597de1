import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeySQLite
import LatchkeyServer

/// The checks `latchkey doctor` runs, each a function from what it reads to findings.
enum DoctorChecks {
  static func configuration(_ configuration: ServerConfiguration) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    if let problem = IssuerRule.validate(configuration.issuer) {
      findings.append(.problem("issuer", "\(configuration.issuer): \(problem)"))
    } else {
      findings.append(.ok("issuer", configuration.issuer))
    }
    for resource in configuration.resources where resource.scopes.isEmpty {
      findings.append(
        .problem(
          "resources.scopes", "\(resource.url) (configuration file) offers no scopes"))
    }
    return findings
  }

  /// The database file and its WAL companions must be readable by their owner only: they hold
  /// private signing keys. Checked before opening, because opening tightens the mode.
  static func permissions(path: String) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    for file in [path, path + "-wal", path + "-shm"] {
      var info = stat()
      guard stat(file, &info) == 0 else { continue }
      let mode = info.st_mode & 0o777
      if mode & 0o077 != 0 {
        findings.append(
          .problem(
            "database.permissions",
            "\(file) has mode \(String(mode, radix: 8)), wider than 600; run chmod 600 \(file)"))
      }
    }
    if findings.isEmpty { findings.append(.ok("database.permissions", "\(path) is mode 600")) }
    return findings
  }

  static func schema(_ store: SQLiteStore) throws -> [DoctorFinding] {
    let applied = try store.appliedMigrations().map(\.version).max() ?? 0
    let supported = SQLiteStore.supportedSchemaVersion
    if applied < supported {
      return [
        .problem(
          "database.schema", "schema version \(applied) < \(supported); run latchkey migrate")
      ]
    }
    return [.ok("database.schema", "schema version \(applied)")]
  }

  static func resources(_ resources: [Resource]) -> [DoctorFinding] {
    if resources.isEmpty {
      return [.warning("resources", "no protected resource is registered; no token can be issued")]
    }
    var findings: [DoctorFinding] = []
    for resource in resources where resource.scopes.isEmpty {
      findings.append(.problem("resources.scopes", "\(resource.url) offers no scopes"))
    }
    if findings.isEmpty { findings.append(.ok("resources", "\(resources.count) resource(s)")) }
    return findings
  }

  static func keys(
    _ keys: [SigningKeyRecord], now: Date, maximumAge: TimeInterval, accessTokenLifetime: Int,
    allowedSkew: TimeInterval = 60
  ) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    let active = keys.first { $0.state == .active }
    if let active {
      let age = now.timeIntervalSince(active.createdAt)
      if age > maximumAge {
        findings.append(
          .problem(
            "keys.age",
            "the active key \(active.kid) is \(TimeText.age(from: active.createdAt, to: now)) old "
              + "(limit \(Int(maximumAge / 86_400))d); run latchkey key rotate"))
      } else {
        findings.append(.ok("keys.active", "\(active.kid) (\(active.algorithm))"))
      }
    } else {
      findings.append(
        .problem("keys.active", "no active signing key; latchkey serve creates one when it starts"))
    }
    for key in keys where key.createdAt.timeIntervalSince(now) > allowedSkew {
      findings.append(
        .problem(
          "keys.clock_skew",
          "the key \(key.kid) was created at \(TimeText.timestamp(key.createdAt)), in the future; "
            + "check this machine's clock"))
    }
    for key in keys {
      if let until = KeyRendering.retirableAt(key, accessTokenLifetime: accessTokenLifetime),
        until < now
      {
        findings.append(
          .warning(
            "keys.retirable",
            "the published key \(key.kid) signs no valid token any more; "
              + "latchkey key retire \(key.kid)"))
      }
    }
    return findings
  }
}
