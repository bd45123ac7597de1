/// Who the provider says signed in, whatever its protocol: from the verified id_token (and
/// userinfo) for `oidc`, from the REST API for `github`. The allow rules, the user link and a
/// new user's name read this, never the raw answers.
struct UpstreamIdentity: Sendable, Equatable {
  /// The provider's stable name for the account, the user link's key: the id_token's `sub`
  /// (OpenID Connect Core §2); GitHub's numeric `id` in decimal.
  var subject: String
  var email: String?
  /// Whether the provider verified `email`; an unverified email is never used.
  var emailVerified: Bool
  /// A suggested login name: `preferred_username`; GitHub's `login`.
  var username: String?
  /// The groups or roles the provider reports (`groups_claim`).
  var groups: [String]
  /// GitHub's current `login`, which `allowed_emails` entries without `@` are compared with.
  var login: String?
  /// GitHub: the configured organizations the user is an active member of.
  var organizations: [String] = []
  /// GitHub: the configured `org/team-slug`s the user is an active member of.
  var teams: [String] = []

  init(
    subject: String, email: String?, emailVerified: Bool, username: String?, groups: [String]
  ) {
    self.subject = subject
    self.email = email
    self.emailVerified = emailVerified
    self.username = username
    self.groups = groups
  }

  /// The identity a verified id_token names (its `sub` is present: `IDTokenRule`).
  init(_ claims: IDTokenClaims) {
    self.init(
      subject: claims.sub ?? "", email: claims.email, emailVerified: claims.emailVerified,
      username: claims.preferredUsername, groups: claims.groups)
  }
}
