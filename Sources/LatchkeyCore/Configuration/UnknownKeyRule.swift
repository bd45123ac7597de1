/// Every key of a configuration object must name a setting.
public enum UnknownKeyRule {
  /// The first key of `present`, in sorted order so the message is the same at every run, that
  /// `isKnown` refuses; nil when every key is known.
  public static func firstUnknown(_ present: [String], isKnown: (String) -> Bool) -> String? {
    present.sorted().first { !isKnown($0) }
  }
}

extension Decoder {
  /// Refuses an object holding a key `Keys` has no case for.
  /// - Throws: `ConfigurationProblem.unknownKey` with the key's full path, e.g.
  ///   `resources[0].scopes[1].descripton`.
  package func refuseUnknownKeys<Keys: CodingKey>(besides _: Keys.Type) throws {
    let present = try container(keyedBy: AnyConfigurationKey.self).allKeys.map(\.stringValue)
    if let unknown = UnknownKeyRule.firstUnknown(present, isKnown: { Keys(stringValue: $0) != nil })
    {
      throw ConfigurationProblem.unknownKey(
        path: ConfigurationKeyPath.text(codingPath + [AnyConfigurationKey(stringValue: unknown)]))
    }
  }
}
