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

extension [DoctorFinding] {
  /// How many findings have `severity` (the report's problem and warning counts).
  func count(_ severity: DoctorFinding.Severity) -> Int {
    filter { $0.severity == severity }.count
  }

  /// The text report's RESULT / CHECK / DETAIL table, local and remote alike.
  var table: String {
    var table = Table(["RESULT", "CHECK", "DETAIL"])
    for finding in self {
      table.append([finding.severity.rawValue, finding.check, finding.message])
    }
    return table.rendered()
  }
}
