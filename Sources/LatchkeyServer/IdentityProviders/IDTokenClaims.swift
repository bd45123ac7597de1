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
  /// Microsoft Entra ID: the user's directory (tenant) id.
  var tenantID: String? = nil
  /// Microsoft Entra ID's optional claim `xms_edov`: the email's domain is verified by its
  /// owner (Entra sends no `email_verified`).
  var emailDomainOwnerVerified = false
  /// After an issuer template (`applyingPreset`): the provider's own `sub`, while `sub` holds
  /// `<tid>/<sub>`; nil otherwise.
  var subjectAtProvider: String? = nil

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
      preferredUsername: object["preferred_username"] as? String, groups: groups,
      tenantID: object["tid"] as? String,
      emailDomainOwnerVerified: (object["xms_edov"] as? Bool) ?? false)
  }

  /// What a preset changes in the verified claims: with Entra ID, an email whose domain owner
  /// is verified (`xms_edov`) counts as verified, since Entra never sends `email_verified`;
  /// after an issuer template the subject is qualified by the tenant.
  func applyingPreset(_ configuration: IdentityProviderConfiguration) -> IDTokenClaims {
    var claims = self
    if configuration.preset == .entra, emailDomainOwnerVerified, email != nil {
      claims.emailVerified = true
    }
    // With an issuer template `iss` varies by tenant, and OpenID Connect Core §5.7 makes only
    // `iss` and `sub` together the stable identifier: the user is linked by `<tid>/<sub>`
    // (`tid` is a GUID there: `IDTokenRule.expectedIssuer`).
    if configuration.issuerTemplate != nil, let sub, let tenantID {
      claims.subjectAtProvider = sub
      claims.sub = tenantID.lowercased() + "/" + sub
    }
    return claims
  }

  /// The subject a user is linked by: `sub`, which `applyingPreset` made `<tid>/<sub>` after an
  /// issuer template.
  var linkedSubject: String? { sub }

  private static func integer(_ value: Any?) -> Int64? {
    if let integer = value as? Int64 { return integer }
    if let double = value as? Double, double.isFinite, abs(double) < 1e15 { return Int64(double) }
    return nil
  }
}
