/// Who may sign in through a `github` provider besides the email rules (docs/
/// identity-providers.md#github): each non-empty list must be satisfied at every sign-in, by a
/// membership GitHub reported `active` just now (GitHub REST "Get an organization membership
/// for the authenticated user", "Get team membership for a user").
enum GitHubAllowRule {
  /// `allowed_organizations`: an active member of one of them; `allowed_teams`: an active
  /// member of one of these `org/team-slug`s. Names compared without case, as GitHub does.
  static func check(_ identity: UpstreamIdentity, _ provider: IdentityProviderConfiguration)
    -> UpstreamAllowRule.Refusal?
  {
    if !provider.allowedOrganizations.isEmpty,
      !identity.organizations.contains(where: { member in
        provider.allowedOrganizations.contains { $0.lowercased() == member.lowercased() }
      })
    {
      return .organizationMissing
    }
    if !provider.allowedTeams.isEmpty,
      !identity.teams.contains(where: { member in
        provider.allowedTeams.contains { $0.lowercased() == member.lowercased() }
      })
    {
      return .teamMissing
    }
    return nil
  }

  /// `allowed_emails` may name GitHub logins too: an entry without `@` is compared with the
  /// current `login`, without case. (A login can be renamed and later taken by someone else;
  /// the docs say to prefer emails, organizations or teams.)
  static func loginIsAllowed(
    _ identity: UpstreamIdentity, _ provider: IdentityProviderConfiguration
  )
    -> Bool
  {
    guard let login = identity.login?.lowercased() else { return false }
    return provider.allowedEmails.contains { !$0.contains("@") && $0.lowercased() == login }
  }
}
