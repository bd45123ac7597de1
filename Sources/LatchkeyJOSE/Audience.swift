/// The `aud` claim (RFC 7519 §4.1.3): a single string or an array of strings. Both shapes are
/// decoded, and each is encoded back in the shape it was given.
public enum Audience: Codable, Sendable, Equatable {
  case one(String)
  case many([String])

  /// All audience values.
  public var values: [String] {
    switch self {
    case .one(let value): [value]
    case .many(let values): values
    }
  }

  /// RFC 7519 §4.1.3: whether `s` is one of the audience values (exact string comparison).
  public func contains(_ s: String) -> Bool {
    values.contains(s)
  }

  /// Decodes `aud` as a single string or an array of strings (RFC 7519 §4.1.3).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(String.self) {
      self = .one(value)
    } else {
      self = .many(try container.decode([String].self))
    }
  }

  /// Encodes one audience as a string, several as an array.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .one(let value): try container.encode(value)
    case .many(let values): try container.encode(values)
    }
  }
}
