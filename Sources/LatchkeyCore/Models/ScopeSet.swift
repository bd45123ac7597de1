/// A set of scope tokens, kept sorted so equal sets encode equally.
///
/// RFC 6749 §3.3 / OAuth 2.1 §1.4.1: `scope = scope-token *( SP scope-token )`,
/// `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`; order does not matter.
public struct ScopeSet: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The scope tokens, sorted and without duplicates.
  public private(set) var tokens: [String]

  /// A set of `tokens` (duplicates dropped, order ignored).
  public init(_ tokens: some Sequence<String>) {
    self.tokens = Array(Set(tokens)).sorted()
  }

  /// No scopes.
  public static let empty = ScopeSet([])

  /// Parses a space-delimited `scope` parameter; `nil` when a token has a forbidden character.
  /// Runs of spaces are tolerated (clients send them), other whitespace is not.
  public init?(parameter: String) {
    var result: [String] = []
    for token in parameter.split(separator: " ", omittingEmptySubsequences: true) {
      guard token.utf8.allSatisfy(ScopeSet.isScopeTokenByte) else { return nil }
      result.append(String(token))
    }
    self.init(result)
  }

  /// RFC 6749 §3.3 scope-token characters.
  static func isScopeTokenByte(_ byte: UInt8) -> Bool {
    byte == 0x21 || (0x23...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
  }

  /// Whether there is no scope.
  public var isEmpty: Bool { tokens.isEmpty }
  /// The space-delimited form used in `scope` parameters and claims.
  public var parameter: String { tokens.joined(separator: " ") }
  /// Same as ``parameter``.
  public var description: String { parameter }

  /// Whether `token` is in the set.
  public func contains(_ token: String) -> Bool { tokens.contains(token) }
  /// Whether every scope here is in `other`.
  public func isSubset(of other: ScopeSet) -> Bool { Set(tokens).isSubset(of: Set(other.tokens)) }
  /// Scopes in either set.
  public func union(_ other: ScopeSet) -> ScopeSet { ScopeSet(tokens + other.tokens) }
  /// Scopes here that are not in `other`.
  public func subtracting(_ other: ScopeSet) -> ScopeSet {
    ScopeSet(Set(tokens).subtracting(other.tokens))
  }
  /// Scopes in both sets.
  public func intersection(_ other: ScopeSet) -> ScopeSet {
    ScopeSet(Set(tokens).intersection(other.tokens))
  }

  /// Decodes a JSON array of scope tokens.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    self.init(try container.decode([String].self))
  }

  /// Encodes a sorted JSON array of scope tokens.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(tokens)
  }
}
