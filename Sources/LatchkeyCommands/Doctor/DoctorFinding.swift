/// One result of a `doctor` check.
struct DoctorFinding: Equatable {
  enum Severity: String {
    case ok
    case warning
    case problem
  }

  let severity: Severity
  /// Stable check name, e.g. `issuer`, `database.permissions`, `keys.age`.
  let check: String
  let message: String

  static func ok(_ check: String, _ message: String) -> Self {
    .init(severity: .ok, check: check, message: message)
  }
  static func warning(_ check: String, _ message: String) -> Self {
    .init(severity: .warning, check: check, message: message)
  }
  static func problem(_ check: String, _ message: String) -> Self {
    .init(severity: .problem, check: check, message: message)
  }

  var json: JSONValue {
    .object([
      "severity": .string(severity.rawValue), "check": .string(check), "message": .string(message),
    ])
  }
}
