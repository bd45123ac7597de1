/// When and how the userinfo endpoint completes the id_token's claims (OpenID Connect Core
/// §5.3). The id_token stays the proof of who signed in; userinfo only adds what it lacks.
enum UpstreamUserinfo {
  /// Asked when the id_token has no verified email while an email rule or the username needs
  /// one, or no groups while a group rule needs them (providers such as django-oauth-toolkit
  /// and Auth0 put `email` or groups only in userinfo by default).
  static func isNeeded(_ claims: IDTokenClaims, _ provider: IdentityProviderConfiguration)
    -> Bool
  {
    let wantsEmail =
      !provider.allowedEmailDomains.isEmpty || !provider.allowedEmails.isEmpty
      || claims.preferredUsername == nil
    let lacksEmail = claims.email == nil || !claims.emailVerified
    return (wantsEmail && lacksEmail) || (!provider.allowedGroups.isEmpty && claims.groups.isEmpty)
  }

  /// OpenID Connect Core §5.3.2: the userinfo `sub` must equal the id_token's (nil otherwise);
  /// then the email (with its verification), `preferred_username` and groups the id_token
  /// lacks are taken from userinfo.
  static func merge(_ idToken: IDTokenClaims, _ userinfo: IDTokenClaims) -> IDTokenClaims? {
    guard let subject = userinfo.sub, subject == (idToken.subjectAtProvider ?? idToken.sub) else {
      return nil
    }
    var merged = idToken
    if merged.email == nil || !merged.emailVerified, let email = userinfo.email {
      merged.email = email
      merged.emailVerified = userinfo.emailVerified
    }
    merged.preferredUsername = merged.preferredUsername ?? userinfo.preferredUsername
    if merged.groups.isEmpty { merged.groups = userinfo.groups }
    return merged
  }
}
