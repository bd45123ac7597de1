import LatchkeyJOSE
import LatchkeyServer

/// Passwords come from a no-echo terminal prompt or from stdin, never from argv (where `ps` and
/// the shell history would see them), and are stored as scrypt hashes only.
enum PasswordInput {
  static let minimumLength = 8

  static func read(fromStandardInput: Bool, console: any Console) throws -> String {
    let password: String
    if fromStandardInput {
      var text = console.readStandardInput()
      if text.hasSuffix("\n") { text.removeLast() }
      if text.hasSuffix("\r") { text.removeLast() }
      password = text
    } else {
      guard let first = console.readSecret(prompt: "Password: ") else {
        throw CLIError(
          "there is no terminal to ask for the password; pipe it with --password-stdin")
      }
      guard console.readSecret(prompt: "Repeat password: ") == first else {
        throw CLIError("the two passwords differ; nothing was changed")
      }
      password = first
    }
    guard password.count >= minimumLength else {
      throw CLIError("the password must have at least \(minimumLength) characters")
    }
    return password
  }

  /// The scrypt hash with the server's configured cost (`password_hash_log_n`).
  static func hash(_ password: String, configuration: ServerConfiguration) throws -> String {
    let hasher = ScryptPasswordHasher(
      parameters: ScryptParameters(logN: configuration.passwordHashLogN, r: 8, p: 1))
    do {
      return try hasher.hash(password)
    } catch {
      throw CLIError(
        "cannot hash the password with password_hash_log_n \(configuration.passwordHashLogN)")
    }
  }
}
