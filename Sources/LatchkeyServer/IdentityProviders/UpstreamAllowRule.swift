/// Who may sign in through a provider (`allowed_email_domains`, `allowed_emails`,
/// `allowed_groups`), evaluated at every sign-in. Each non-empty list must be satisfied; an
/// email counts only when the provider says it is verified (OpenID Connect Core §5.1
/// `email_verified`, §5.7: an unverified email is not an identity). For `github`, an
/// `allowed_emails` entry without `@` names a login, and `GitHubAllowRule` adds the
/// organization and team rules.
enum UpstreamAllowRule {
  enum Refusal: String, Error, Equatable {
    case emailNotVerified = "no verified email"
    case emailDomainNotAllowed = "email domain not allowed"
    case emailNotAllowed = "email not allowed"
    case groupMissing = "no allowed group"
    case organizationMissing = "no allowed organization"
    case teamMissing = "no allowed team"
  }

  static func check(_ identity: UpstreamIdentity, _ provider: IdentityProviderConfiguration)
    -> Refusal?
  {
    let loginAllowed = GitHubAllowRule.loginIsAllowed(identity, provider)
    let needsEmail =
      !provider.allowedEmailDomains.isEmpty || (!provider.allowedEmails.isEmpty && !loginAllowed)
    let email = identity.emailVerified ? identity.email?.lowercased() : nil
    if needsEmail, email == nil { return .emailNotVerified }
    if let email, !provider.allowedEmailDomains.isEmpty {
      let domain = email.split(separator: "@", omittingEmptySubsequences: false).last
        .map(String.init)
      let allowed = Set(provider.allowedEmailDomains.map { $0.lowercased() })
      guard email.contains("@"), let domain, allowed.contains(domain) else {
        return .emailDomainNotAllowed
      }
    }
    if let email, !provider.allowedEmails.isEmpty, !loginAllowed {
      guard provider.allowedEmails.contains(where: { $0.lowercased() == email }) else {
        return .emailNotAllowed
      }
    }
    if !provider.allowedGroups.isEmpty {
      guard identity.groups.contains(where: provider.allowedGroups.contains) else {
        return .groupMissing
      }
    }
    return GitHubAllowRule.check(identity, provider)
  }
}
