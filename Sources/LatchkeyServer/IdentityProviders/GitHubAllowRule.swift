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

  /// The organizations and `org/team-slug`s whose membership GitHub is asked about at each
  /// sign-in: those of `allowed_organizations` and `allowed_teams`, and the `scope_mappings`
  /// groups written as an organization or `org/team-slug` (the user's active ones become the
  /// groups the mappings read). Each once, compared without case; other mapping keys are not
  /// GitHub names and are never asked.
  static func membershipsToAsk(_ provider: IdentityProviderConfiguration)
    -> (organizations: [String], teams: [String])
  {
    let mapped = provider.scopeMappings.keys.sorted()
    let organizations = unique(
      provider.allowedOrganizations + mapped.filter(GitHubNames.isOrganization))
    let teams = unique(provider.allowedTeams + mapped.filter { GitHubNames.team($0) != nil })
    return (organizations, teams)
  }

  private static func unique(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0.lowercased()).inserted }
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
