/// The keys a configuration type accepts, nested as in the file, so the documentation can be
/// checked against the decoder (every accepted key documented, every documented key accepted).
package indirect enum ConfigurationShape: Sendable {
  /// A value with no keys of its own: a string, number, boolean, array of those, or a map whose
  /// keys are names chosen by the operator (tool names, scopes).
  case value
  /// An object with exactly these keys.
  case object([String: ConfigurationShape])
  /// An array of elements of one shape.
  case array(ConfigurationShape)

  /// An object accepting every case of `Keys`; `nested` gives the shape under the keys that
  /// open an object or an array of objects.
  package static func fields<Keys: CodingKey & CaseIterable & Hashable>(
    _: Keys.Type, nested: [Keys: ConfigurationShape] = [:]
  ) -> ConfigurationShape {
    .object(
      Dictionary(uniqueKeysWithValues: Keys.allCases.map { ($0.stringValue, nested[$0] ?? .value) })
    )
  }

  /// Every key path this shape accepts, arrays written `[]`: `tokens.access_token`,
  /// `resources[].scopes[].name`.
  package func keyPaths(under prefix: String = "") -> Set<String> {
    switch self {
    case .value: return []
    case .array(let element): return element.keyPaths(under: prefix + "[]")
    case .object(let fields):
      var paths: Set<String> = []
      for (key, shape) in fields {
        let path = prefix.isEmpty ? key : prefix + "." + key
        paths.insert(path)
        paths.formUnion(shape.keyPaths(under: path))
      }
      return paths
    }
  }
}
