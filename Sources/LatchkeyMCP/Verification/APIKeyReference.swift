/// Which API key a request acts with: its public id and the name its operator gave it. Never
/// the key itself (a key is shown once, at creation, and only its hash is stored).
public struct APIKeyReference: Sendable, Hashable, Codable {
  /// The key's public id (introspection's `jti`).
  public var id: String
  /// What the operator called it ("nightly report"); empty when the AS did not say.
  public var name: String

  /// A reference to the key `id` called `name`.
  public init(id: String, name: String) {
    self.id = id
    self.name = name
  }
}
