import Foundation

/// The id_token claims Latchkey reads (OpenID Connect Core §2, §5.1), decoded from the payload
/// only after the signature was verified. `groups` is read from the configured claim name.
struct IDTokenClaims: Sendable, Equatable {
  var iss: String?
  var sub: String?
  var aud: [String]
  var azp: String?
  var exp: Int64?
  var iat: Int64?
  var nonce: String?
  var email: String?
  var emailVerified: Bool
  var preferredUsername: String?
  var groups: [String]

  /// The claims of a JSON object payload; nil when it is not one.
  static func decode(_ payload: [UInt8], groupsClaim: String) -> IDTokenClaims? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
    else { return nil }
    let aud: [String]
    switch object["aud"] {
    case let single as String: aud = [single]
    case let many as [Any]: aud = many.compactMap { $0 as? String }
    default: aud = []
    }
    let groups: [String]
    switch object[groupsClaim] {
    case let single as String: groups = [single]
    case let many as [Any]: groups = many.compactMap { $0 as? String }
    default: groups = []
    }
    return IDTokenClaims(
      iss: object["iss"] as? String, sub: object["sub"] as? String, aud: aud,
      azp: object["azp"] as? String, exp: Self.integer(object["exp"]),
      iat: Self.integer(object["iat"]), nonce: object["nonce"] as? String,
      email: object["email"] as? String,
      emailVerified: (object["email_verified"] as? Bool) ?? false,
      preferredUsername: object["preferred_username"] as? String, groups: groups)
  }

  private static func integer(_ value: Any?) -> Int64? {
    if let integer = value as? Int64 { return integer }
    if let double = value as? Double, double.isFinite, abs(double) < 1e15 { return Int64(double) }
    return nil
  }
}
