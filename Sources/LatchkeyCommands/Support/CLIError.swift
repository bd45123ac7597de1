import LatchkeyCore

/// A failure the operator can act on, reported as one sentence on stderr with exit code 1.
struct CLIError: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }

  /// One clear sentence for any error a command lets escape.
  static func sentence(for error: any Error) -> String {
    switch error {
    case let error as CLIError: return error.description
    case StoreError.conflict(let concern): return "a conflicting \(concern) already exists"
    case StoreError.notFound(let concern): return "the \(concern) does not exist"
    case StoreError.schemaTooNew(let found, let supported):
      return "the database has schema version \(found), newer than this latchkey supports "
        + "(\(supported)); upgrade latchkey"
    case StoreError.unavailable(let reason): return "the database is unavailable: \(reason)"
    case StoreError.corrupt(let reason): return "the database holds unreadable data: \(reason)"
    default: return "\(error)"
    }
  }
}
