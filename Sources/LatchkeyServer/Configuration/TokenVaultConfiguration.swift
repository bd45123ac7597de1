import LatchkeyCore

/// The token vault (`token_vault`, docs/identity-providers.md "The upstream token"): the keys
/// that seal identity-provider tokens kept with `keep_upstream_tokens`, and which resource
/// servers may read them back.
public struct TokenVaultConfiguration: Sendable, Codable, Equatable {
  /// One AES-256 key: 32 random bytes, as 64 hex digits or base64, in the first line of
  /// `key_file` (mode 0600 or stricter) or in the environment variable `key_env`.
  public struct Key: Sendable, Codable, Equatable {
    /// Written beside every sealed box, so older keys still open what they sealed.
    public var id: String
    public var keyFile: String?
    public var keyEnv: String?

    public init(id: String, keyFile: String? = nil, keyEnv: String? = nil) {
      self.id = id
      self.keyFile = keyFile
      self.keyEnv = keyEnv
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id
      case keyFile = "key_file"
      case keyEnv = "key_env"
    }

    static let shape = ConfigurationShape.fields(CodingKeys.self)

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      try decoder.refuseUnknownKeys(besides: CodingKeys.self)
      var value = Key(id: try c.decode(String.self, forKey: .id))
      try c.decode(.keyFile, into: &value, at: \.keyFile)
      try c.decode(.keyEnv, into: &value, at: \.keyEnv)
      self = value
    }
  }

  /// A confidential client (a resource server) allowed to read the upstream tokens behind
  /// access tokens issued for `resource` at `POST /upstream-token`.
  public struct Reader: Sendable, Codable, Equatable {
    public var clientID: String
    public var resource: String

    public init(clientID: String, resource: String) {
      self.clientID = clientID
      self.resource = resource
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case clientID = "client_id"
      case resource
    }

    static let shape = ConfigurationShape.fields(CodingKeys.self)

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      try decoder.refuseUnknownKeys(besides: CodingKeys.self)
      self.init(
        clientID: try c.decode(String.self, forKey: .clientID),
        resource: try c.decode(String.self, forKey: .resource))
    }
  }

  /// The first key seals; every key opens. Add the new key first to rotate; remove an old key
  /// once no record names it (`SELECT key_id, count(*) FROM upstream_tokens GROUP BY key_id`;
  /// boxes are re-sealed with the first key whenever they are read, and a box whose key is
  /// gone is reported unreadable, never guessed).
  public var keys: [Key] = []
  /// Who may read upstream tokens remotely; in-process readers (an embedded server) need none.
  public var readers: [Reader] = []

  public init(keys: [Key] = [], readers: [Reader] = []) {
    self.keys = keys
    self.readers = readers
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case keys, readers
  }

  static let shape = ConfigurationShape.fields(
    CodingKeys.self, nested: [.keys: .array(Key.shape), .readers: .array(Reader.shape)])

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = TokenVaultConfiguration()
    try c.decode(.keys, into: &value, at: \.keys)
    try c.decode(.readers, into: &value, at: \.readers)
    self = value
  }

  /// Settings that cannot work: a key without exactly one source, a key id used twice or not
  /// usable in the stored column.
  var problem: String? {
    var ids: Set<String> = []
    for key in keys {
      guard IdentityProviderConfiguration.isUsableID(key.id) else {
        return "token_vault key id \"\(key.id)\" must be 1-32 of a-z 0-9 - _"
      }
      guard ids.insert(key.id).inserted else {
        return "token_vault key id \"\(key.id)\" is used twice"
      }
      guard (key.keyFile == nil) != (key.keyEnv == nil) else {
        return "token_vault key \"\(key.id)\" needs exactly one of key_file and key_env"
      }
    }
    return nil
  }
}
