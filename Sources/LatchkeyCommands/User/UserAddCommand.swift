import ArgumentParser
import Foundation
import LatchkeyCore

/// `latchkey user add NAME`: creates a user; the password is prompted for without echo or read
/// from stdin with `--password-stdin`.
struct UserAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a user.",
    discussion: """
      The password is asked for twice on the terminal without echo, or read from stdin with \
      --password-stdin (one trailing newline is dropped). It is never accepted as an argument.
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The username.")
  var username: String

  @Option(name: .long, help: "User id, the token's sub claim (default: a random UUID).")
  var id: String?

  @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.")
  var passwordStdin = false

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func validate() throws {
    if username.isEmpty || username.contains(where: \.isWhitespace) {
      throw ValidationError("The username must be non-empty and contain no spaces.")
    }
  }

  func run() async throws {
    try await store.withSession { session in
      if try await session.store.user(username: username) != nil {
        throw CLIError("a user named \(username) already exists")
      }
      let password = try PasswordInput.read(
        fromStandardInput: passwordStdin, console: session.console)
      let user = User(
        id: id ?? UUID().uuidString.lowercased(), username: username,
        passwordHash: try PasswordInput.hash(password, configuration: session.configuration),
        createdAt: session.now)
      do {
        try await session.store.insertUser(user)
      } catch StoreError.conflict {
        throw CLIError("a user with the id \(user.id) or the username \(username) already exists")
      }
      try await session.audit("cli.user.added", userID: user.id, detail: "username=\(username)")
      session.emit(json: json, UserRendering.json(user)) {
        "added user \(username) (id \(user.id))"
      }
    }
  }
}
