import ArgumentParser

/// `latchkey user …`: the people who log in on the authorization page.
struct UserCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user", abstract: "Manage users who log in to authorize clients.",
    subcommands: [
      UserAddCommand.self, UserListCommand.self, UserPasswdCommand.self,
      UserDisableCommand.self, UserEnableCommand.self, UserRemoveCommand.self,
      UserLinkCommand.self, UserUnlinkCommand.self,
    ])
}
