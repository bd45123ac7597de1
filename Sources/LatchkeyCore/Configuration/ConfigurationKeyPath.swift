/// How a configuration problem names a key: object members joined by dots, array elements by
/// index in brackets, as one would point at the key in the file.
public enum ConfigurationKeyPath {
  /// `[tokens, access_token]` → `tokens.access_token`; `[resources, 0, scopes, 1, name]` →
  /// `resources[0].scopes[1].name`; an empty path → "".
  public static func text(_ keys: [any CodingKey]) -> String {
    var text = ""
    for key in keys {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return text
  }
}

/// A key of any name, to list every member of a JSON object (not only the known ones).
package struct AnyConfigurationKey: CodingKey {
  package var stringValue: String
  package var intValue: Int?

  package init(stringValue: String) {
    self.stringValue = stringValue
    intValue = nil
  }

  package init?(intValue: Int) {
    stringValue = "\(intValue)"
    self.intValue = intValue
  }
}
