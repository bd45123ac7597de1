/// What is wrong with a configuration file, with the key's path written as in the file's own
/// structure: `tokens.access_token`, `resources[0].scopes[1].name` (empty for the document).
public enum ConfigurationProblem: Error, Sendable, Equatable {
  /// The file cannot be read (absent, unreadable).
  case unreadable(reason: String)
  /// The file is not a JSON document.
  case notJSON
  /// A key no setting has. Refused rather than ignored: in an authorization server a misspelt
  /// setting is a silent misconfiguration.
  case unknownKey(path: String)
  /// A required key is absent.
  case missingKey(path: String)
  /// A value of another JSON type; `expected` reads like "a string", "a number", "an object".
  case wrongType(path: String, expected: String)
  /// A value outside a closed set, with every allowed value.
  case notAllowed(path: String, value: String, allowed: [String])
  /// A value of the right type the decoder still cannot use (e.g. a number out of range).
  case invalidValue(path: String, reason: String)
}

/// A configuration file that cannot be used, naming the file and the problem; `description` is
/// the one sentence the commands print (exit code 64 for `serve`, `proxy` and the admin commands).
public struct ConfigurationFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The path of the file as given on the command line.
  public var file: String
  /// What is wrong.
  public var problem: ConfigurationProblem

  /// A problem found in `file`.
  public init(file: String, problem: ConfigurationProblem) {
    self.file = file
    self.problem = problem
  }

  /// One sentence: `unknown key "tokens.acess_token" in config/x.json`.
  public var description: String {
    switch problem {
    case .unreadable(let reason): "cannot read configuration \(file): \(reason)"
    case .notJSON: "cannot read configuration \(file): it is not a JSON document"
    case .unknownKey(let path): "unknown key \"\(path)\" in \(file)"
    case .missingKey(let path): "missing key \"\(path)\" in \(file)"
    case .wrongType(let path, let expected):
      "\(Self.subject(path)) in \(file) must be \(expected)"
    case .notAllowed(let path, let value, let allowed):
      "\(Self.subject(path)) in \(file) is \"\(value)\"; allowed values: "
        + allowed.joined(separator: ", ")
    case .invalidValue(let path, let reason): "\(Self.subject(path)) in \(file): \(reason)"
    }
  }

  /// The key path in quotes, or "the document" for the top level.
  static func subject(_ path: String) -> String {
    path.isEmpty ? "the document" : "\"\(path)\""
  }
}
