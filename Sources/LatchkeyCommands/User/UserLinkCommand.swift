import ArgumentParser
import LatchkeyCore

/// `latchkey user link NAME --provider ID --subject SUB`: lets an existing user sign in
/// through an identity provider as the upstream account `SUB` (the id_token's `sub`; GitHub's
/// numeric user id), instead of a new user being created at their first sign-in.
struct UserLinkCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "link",
    abstract: "Link a user to an account at an identity provider.",
    discussion: """
      The account is named by the provider's id in identity_providers and the upstream \
      subject: the id_token's sub for OpenID Connect providers, the numeric user id for \
      GitHub (never the login, which can be renamed).
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username or user id.")
  var user: String

  @Option(name: .long, help: "The provider's id in identity_providers.")
  var provider: String

  @Option(name: .long, help: "The upstream subject (sub; GitHub: the numeric user id).")
  var subject: String

  func run() async throws {
    guard !provider.isEmpty, !subject.isEmpty,
      !ControlCharacterRule.containsControlCharacter(provider + subject)
    else {
      throw CLIError("--provider and --subject must be non-empty text without control characters")
    }
    try await store.withSession { session in
      let record = try await UserRendering.existing(user, in: session)
      if let existing = try await session.store.userIdentity(provider: provider, subject: subject) {
        throw CLIError(
          existing.userID == record.id
            ? "\(record.username) is linked to \(provider) \(subject) already"
            : "\(provider) \(subject) is linked to another user; unlink it there first")
      }
      try await session.store.insertUserIdentity(
        UserIdentity(
          provider: provider, subject: subject, userID: record.id, createdAt: session.now))
      try await session.audit(
        "cli.user.linked", userID: record.id, detail: "provider \(provider), subject \(subject)")
      session.console.write("linked \(record.username) to \(provider) subject \(subject)")
    }
  }
}

/// `latchkey user unlink NAME --provider ID [--subject SUB]`: the user can no longer sign in
/// through that provider account, and the upstream tokens it left in the token vault are
/// deleted (their grants stay; `latchkey grant revoke` ends those).
struct UserUnlinkCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlink",
    abstract: "Remove a user's link to an identity provider account, with its kept tokens.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username or user id.")
  var user: String

  @Option(name: .long, help: "The provider's id in identity_providers.")
  var provider: String

  @Option(name: .long, help: "Only this upstream subject (default: every link at the provider).")
  var subject: String?

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      let record = try await UserRendering.existing(user, in: session)
      let links = try await session.store.userIdentities(userID: record.id).filter {
        $0.provider == provider && (subject == nil || $0.subject == subject)
      }
      guard !links.isEmpty else {
        throw CLIError(
          "\(record.username) has no link to \(provider)\(subject.map { " " + $0 } ?? "")")
      }
      try session.confirm(
        "Unlink \(record.username) from \(provider) (\(links.count) account(s))?", yes: yes)
      for link in links {
        _ = try await session.store.deleteUserIdentity(
          provider: link.provider, subject: link.subject)
      }
      let remaining = try await session.store.userIdentities(userID: record.id)
      let tokens =
        remaining.contains(where: { $0.provider == provider })
        ? 0 : try await session.store.deleteUpstreamTokens(userID: record.id, provider: provider)
      try await session.audit(
        "cli.user.unlinked", userID: record.id,
        detail: "provider \(provider), links=\(links.count), upstream_tokens=\(tokens)")
      session.console.write(
        "unlinked \(record.username) from \(provider) (\(links.count) account(s)); "
          + "deleted \(tokens) kept upstream token set(s)")
    }
  }
}
