import Foundation
import LatchkeyJOSE

/// The public keys of a `private_key_jwt` client given to `client add` (RFC 7523 §2.2 with the
/// keys registered out of band, RFC 7591 §2 `jwks` / `jwks_uri`).
enum ClientKeyInput {
  /// The JWK Set in `file`, re-encoded with public members only (a private `d`, `p`, `q` … is
  /// never stored); every key must import as an ES256, EdDSA or RS256 verification key.
  static func publicJWKS(file: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw CLIError("cannot read the JWK Set file \(file)")
    }
    guard let set = try? JSONDecoder().decode(JWKS.self, from: data), !set.keys.isEmpty else {
      throw CLIError("\(file) is not a JWK Set with at least one key")
    }
    for key in set.keys {
      do {
        _ = try VerificationKey(jwk: key)
      } catch {
        throw CLIError(
          "the key \(key.kid ?? key.kty) in \(file) is not an ES256, EdDSA or RS256 public key")
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(set), as: UTF8.self)
  }

  /// An https URL with a host.
  static func isHTTPSURL(_ text: String) -> Bool {
    guard let components = URLComponents(string: text), components.scheme == "https",
      let host = components.host
    else { return false }
    return !host.isEmpty
  }
}
