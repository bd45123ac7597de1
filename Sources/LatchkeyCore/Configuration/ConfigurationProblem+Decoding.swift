extension ConfigurationProblem {
  /// The problem a `JSONDecoder` failure stands for, with its key path.
  public init(_ error: DecodingError) {
    switch error {
    case .keyNotFound(let key, let context):
      self = .missingKey(path: ConfigurationKeyPath.text(context.codingPath + [key]))
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      self = .wrongType(
        path: ConfigurationKeyPath.text(context.codingPath), expected: Self.expected(type))
    case .dataCorrupted(let context) where context.codingPath.isEmpty:
      self = .notJSON
    case .dataCorrupted(let context):
      self = .invalidValue(
        path: ConfigurationKeyPath.text(context.codingPath), reason: context.debugDescription)
    @unknown default:
      self = .invalidValue(path: "", reason: "\(error)")
    }
  }

  /// The JSON type a Swift type is decoded from, with its article: "a string", "a number",
  /// "true or false", "an array", "an object".
  static func expected(_ type: Any.Type) -> String {
    if type == String.self { return "a string" }
    if type == Bool.self { return "true or false" }
    if type is any Numeric.Type { return "a number" }
    let name = String(describing: type)
    if name.hasPrefix("Array<") || name.hasPrefix("[") && !name.contains(":") {
      return "an array"
    }
    return "an object"
  }
}
