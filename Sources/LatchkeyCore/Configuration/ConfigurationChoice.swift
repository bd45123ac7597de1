/// A setting with a closed set of values (`log_format`, `signing_algorithm`, …), spelt as the
/// enum's raw values.
public enum ConfigurationChoice {
  /// The case whose raw value is `text`, compared ignoring case when `ignoringCase` (log
  /// formats and levels, SQLite and TLS modes) and exactly otherwise (JOSE algorithm names are
  /// case-sensitive, RFC 7515 §4.1.1); nil when none matches.
  public static func match<Choice: RawRepresentable & CaseIterable>(
    _ text: String, as _: Choice.Type = Choice.self, ignoringCase: Bool = true
  ) -> Choice? where Choice.RawValue == String {
    Choice.allCases.first {
      ignoringCase ? $0.rawValue.lowercased() == text.lowercased() : $0.rawValue == text
    }
  }

  /// Every raw value, in declaration order, for messages.
  public static func allowed<Choice: RawRepresentable & CaseIterable>(_: Choice.Type) -> [String]
  where Choice.RawValue == String {
    Choice.allCases.map(\.rawValue)
  }
}

extension KeyedDecodingContainer {
  /// The choice under `key`, or nil when the file does not set it.
  /// - Throws: `ConfigurationProblem.notAllowed` naming the key's path, the value and every
  ///   allowed value.
  package func decodeChoice<Choice: RawRepresentable & CaseIterable>(
    _ key: Key, as _: Choice.Type = Choice.self, ignoringCase: Bool = true
  ) throws -> Choice? where Choice.RawValue == String {
    guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
    guard let choice = ConfigurationChoice.match(text, as: Choice.self, ignoringCase: ignoringCase)
    else {
      throw ConfigurationProblem.notAllowed(
        path: ConfigurationKeyPath.text(codingPath + [key]), value: text,
        allowed: ConfigurationChoice.allowed(Choice.self))
    }
    return choice
  }

  /// Overwrites the default at `keyPath` with the file's value when the file sets `key` (a JSON
  /// `null` counts as not set); the type's initialiser stays the one source of defaults.
  package func decode<Root, Value: Decodable>(
    _ key: Key, into root: inout Root, at keyPath: WritableKeyPath<Root, Value>
  ) throws {
    if let value = try decodeIfPresent(Value.self, forKey: key) { root[keyPath: keyPath] = value }
  }
}
