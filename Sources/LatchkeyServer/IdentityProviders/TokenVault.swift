import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// The upstream tokens of one grant as the vault keeps them: what is sealed in a record.
struct UpstreamTokenSet: Sendable, Codable, Equatable {
  var accessToken: String
  var refreshToken: String?
  var tokenType: String?
  var scope: String?
  /// Seconds since 1970 when the access token expires, when the provider said.
  var expiresAt: Int64?

  enum CodingKeys: String, CodingKey {
    case accessToken = "access_token"
    case refreshToken = "refresh_token"
    case tokenType = "token_type"
    case scope
    case expiresAt = "expires_at"
  }

  /// The set a token response gives at `now`; a refresh answer without a new refresh token
  /// keeps the old one (RFC 6749 §6: the server MAY issue a new refresh token).
  init(_ response: UpstreamTokenResponse, at now: Date, keeping previous: UpstreamTokenSet? = nil) {
    accessToken = response.accessToken
    refreshToken = response.refreshToken ?? previous?.refreshToken
    tokenType = response.tokenType
    scope = response.scope ?? previous?.scope
    expiresAt = response.expiresIn.map { Int64(now.timeIntervalSince1970) + Int64($0) }
  }
}

/// AES-256-GCM sealing of upstream tokens (issue 23 §4). The key never reaches the database:
/// it is read at start from a file (mode 0600 or narrower) or the environment. Each box's
/// associated data names its record, user and provider, so a box copied into another row does
/// not open; the record stores the id of the key that sealed it, so keys can rotate.
struct TokenVault: Sendable {
  /// Key id → 32 bytes; `sealingKeyID` seals.
  private let keys: [String: [UInt8]]
  let sealingKeyID: String

  enum Problem: Error, Equatable {
    case unreadable(String)
    case tooOpen(String, mode: mode_t)
    case notAKey(String)
  }

  /// Reads every configured key; nil when none is configured.
  init?(_ configuration: TokenVaultConfiguration, environment: [String: String])
    throws(ConfigurationError)
  {
    guard let first = configuration.keys.first else { return nil }
    var keys: [String: [UInt8]] = [:]
    for key in configuration.keys {
      switch Self.read(key, environment: environment) {
      case .success(let bytes): keys[key.id] = bytes
      case .failure(let problem): throw .invalid(problem.description)
      }
    }
    self.keys = keys
    sealingKeyID = first.id
  }

  /// A vault over given keys, for tests.
  init(keys: [String: [UInt8]], sealingKeyID: String) {
    self.keys = keys
    self.sealingKeyID = sealingKeyID
  }

  /// Version 1 box: `base64url(0x01 ‖ nonce ‖ ciphertext ‖ tag)`.
  func seal(_ tokens: UpstreamTokenSet, recordID: String, userID: String, provider: String)
    throws -> (keyID: String, sealed: String)
  {
    guard let key = keys[sealingKeyID] else { throw AES256GCM.Failure.invalidKey }
    let plaintext = Array(try JSONEncoder().encode(tokens))
    let box = try AES256GCM.seal(
      plaintext, key: key,
      associatedData: Self.associatedData(recordID: recordID, userID: userID, provider: provider))
    return (sealingKeyID, Base64URL.encode([1] + box))
  }

  /// The tokens of a record; nil when its key is gone or the box does not open (tampered
  /// with, or moved from another record).
  func open(_ record: UpstreamTokenRecord) -> UpstreamTokenSet? {
    guard let key = keys[record.keyID], let bytes = Base64URL.decode(record.sealed),
      bytes.first == 1,
      let plaintext = try? AES256GCM.open(
        Array(bytes.dropFirst()), key: key,
        associatedData: Self.associatedData(
          recordID: record.id, userID: record.userID, provider: record.provider))
    else { return nil }
    return try? JSONDecoder().decode(UpstreamTokenSet.self, from: Data(plaintext))
  }

  static func associatedData(recordID: String, userID: String, provider: String) -> [UInt8] {
    Array("latchkey-upstream-token-v1\u{0}\(recordID)\u{0}\(userID)\u{0}\(provider)".utf8)
  }

  /// 32 bytes from the first line of the key's file or variable: 64 hex digits or base64
  /// (standard or url alphabet). The file must be readable by its owner only.
  static func read(_ key: TokenVaultConfiguration.Key, environment: [String: String])
    -> Result<[UInt8], Problem>
  {
    let name =
      key.keyFile.map { "token_vault key \"\(key.id)\": key_file \($0)" }
      ?? "token_vault key \"\(key.id)\": key_env \(key.keyEnv ?? "")"
    let text: String
    if let path = key.keyFile {
      var info = stat()
      guard stat(path, &info) == 0,
        let contents = try? String(contentsOfFile: path, encoding: .utf8)
      else { return .failure(.unreadable(name)) }
      let mode = info.st_mode & 0o777
      guard mode & 0o077 == 0 else { return .failure(.tooOpen(name, mode: mode)) }
      text = contents
    } else if let variable = key.keyEnv, let value = environment[variable] {
      text = value
    } else {
      return .failure(.unreadable(name))
    }
    let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    guard let bytes = decodeKey(line.trimmingCharacters(in: .whitespaces)),
      bytes.count == AES256GCM.keyByteCount
    else { return .failure(.notAKey(name)) }
    return .success(bytes)
  }

  static func decodeKey(_ text: String) -> [UInt8]? {
    if text.utf8.count == 64, let bytes = hexBytes(text) { return bytes }
    let urlAlphabet = text.replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    return Base64URL.decode(urlAlphabet)
  }

  static func hexBytes(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
      guard let h = hexValue(high), let l = hexValue(low) else { return nil }
      bytes.append(h << 4 | l)
    }
    return bytes
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

extension TokenVault.Problem: CustomStringConvertible {
  /// Names the setting, never any of the key.
  var description: String {
    switch self {
    case .unreadable(let name): "\(name) cannot be read"
    case .tooOpen(let name, let mode):
      "\(name) has mode \(String(mode, radix: 8)), wider than 600; run chmod 600 on it"
    case .notAKey(let name): "\(name) is not 32 bytes as 64 hex digits or base64"
    }
  }
}
