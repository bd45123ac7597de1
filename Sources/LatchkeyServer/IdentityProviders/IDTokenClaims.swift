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
  /// Google: the Workspace (hosted) domain the account belongs to; absent for consumer
  /// accounts.
  var hostedDomain: String? = nil
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
      emailDomainOwnerVerified: (object["xms_edov"] as? Bool) ?? false,
      hostedDomain: object["hd"] as? String)
  }

  /// Google's own mail domains, whose addresses Google itself vouches for.
  static let googleMailDomains: Set<String> = ["gmail.com", "googlemail.com"]

  /// What a preset changes in the verified claims: with Entra ID, an email whose domain owner
  /// is verified (`xms_edov`) counts as verified, since Entra never sends `email_verified`;
  /// with Google, an address outside Gmail counts as verified only with `hd` its domain
  /// (Google's "hd: You must check this claim when restricting access to … domains");
  /// after an issuer template the subject is qualified by the tenant (once: applying it again,
  /// after userinfo, changes nothing more).
  func applyingPreset(_ configuration: IdentityProviderConfiguration) -> IDTokenClaims {
    var claims = self
    if configuration.preset == .entra, emailDomainOwnerVerified, email != nil {
      claims.emailVerified = true
    }
    // Google: a consumer account may carry any address it once verified (a former employee's
    // work address, say); Google's documentation makes the `hd` claim the check for a domain.
    // So an address outside Gmail counts only when `hd` is its domain.
    if configuration.preset == .google, claims.emailVerified, let email {
      let domain = email.split(separator: "@").last.map { $0.lowercased() } ?? ""
      if !Self.googleMailDomains.contains(domain), hostedDomain?.lowercased() != domain {
        claims.emailVerified = false
      }
    }
    // With an issuer template `iss` varies by tenant, and OpenID Connect Core §5.7 makes only
    // `iss` and `sub` together the stable identifier: the user is linked by `<tid>/<sub>`
    // (`tid` is a GUID there: `IDTokenRule.expectedIssuer`).
    if configuration.issuerTemplate != nil, claims.subjectAtProvider == nil, let sub, let tenantID {
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
