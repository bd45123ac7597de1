import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// Reading a JWT without trusting it (to show what it claims), then verifying it.
enum TokenDecoding {
  static func decode(_ token: String) -> (header: JOSEHeader, claims: JWTClaims)? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let header = Base64URL.decode(String(parts[0])),
      let payload = Base64URL.decode(String(parts[1])),
      let decodedHeader = try? JSONDecoder().decode(JOSEHeader.self, from: Data(header)),
      let claims = try? JSONDecoder().decode(JWTClaims.self, from: Data(payload))
    else { return nil }
    return (decodedHeader, claims)
  }

  /// Why the token is not valid now, or nil when it is: signature by an active or published key
  /// in the database, `typ` at+jwt, `iss`, `exp` (no leeway).
  static func problem(_ token: String, records: [SigningKeyRecord], issuer: String, now: Date)
    -> String?
  {
    var keys: [VerificationKey] = []
    for record in records where record.state != .retired {
      guard let algorithm = JWSAlgorithm(rawValue: record.algorithm),
        let key = try? SigningKey(privateKeyPEM: record.privateKeyPEM, algorithm: algorithm)
      else { continue }
      keys.append(key.publicKey)
    }
    let validator = JWTValidator(
      issuer: issuer, audience: nil, leeway: 0, expectedType: "at+jwt")
    do {
      _ = try JWT.verify(
        token, keys: StaticKeyResolver(keys), validator: validator,
        now: Int64(now.timeIntervalSince1970))
      return nil
    } catch {
      return sentence(error, kid: decode(token)?.header.kid, records: records)
    }
  }

  static func sentence(_ error: JWTValidationError, kid: String?, records: [SigningKeyRecord])
    -> String
  {
    switch error {
    case .expired: return "it has expired"
    case .notYetValid: return "it is not valid yet (nbf)"
    case .issuedInFuture: return "it was issued in the future (iat)"
    case .missingExpiry: return "it has no exp claim"
    case .wrongIssuer: return "its iss is not this server's issuer"
    case .wrongAudience: return "its aud is wrong"
    case .wrongType: return "its typ is not at+jwt"
    case .signature:
      if let kid, let record = records.first(where: { $0.kid == kid }), record.state == .retired {
        return "it was signed by the retired key \(kid)"
      }
      if let kid, !records.contains(where: { $0.kid == kid }) {
        return "it was signed by a key this database does not know (kid \(kid))"
      }
      return "its signature does not verify"
    }
  }
}
