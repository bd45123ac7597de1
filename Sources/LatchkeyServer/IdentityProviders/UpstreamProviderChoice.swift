/// Which provider an authorization request goes to without the login page (a Latchkey
/// extension; docs/identity-providers.md, "How a sign-in goes").
enum UpstreamProviderChoice {
  /// In order: the configured provider the request names in `provider`; else the one provider
  /// whose `allowed_email_domains` holds the domain of an email-shaped `login_hint` (OpenID
  /// Connect Core §3.1.2.1; a hint, so no match or several matches just show the page); else
  /// the only provider when there is no password form. Nil: show the login page.
  static func direct(
    requested: String?, loginHint: String?, providers: [IdentityProviderConfiguration],
    localAccounts: Bool
  ) -> String? {
    if let requested, providers.contains(where: { $0.id == requested }) { return requested }
    if let domain = loginHint.flatMap(emailDomain) {
      let matching = providers.filter { provider in
        provider.allowedEmailDomains.contains { $0.lowercased() == domain }
      }
      if matching.count == 1 { return matching[0].id }
    }
    if !localAccounts, providers.count == 1 { return providers[0].id }
    return nil
  }

  /// The lowercased domain of `local@domain` (one `@`, both parts non-empty); nil otherwise.
  static func emailDomain(_ hint: String) -> String? {
    let parts = hint.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    return parts[1].lowercased()
  }
}
