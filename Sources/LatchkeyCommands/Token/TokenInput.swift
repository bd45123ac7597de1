/// A token is a secret: it is read without echo on a terminal, or from a pipe, and never
/// printed back.
enum TokenInput {
  static func read(console: any Console) throws -> String {
    let raw: String?
    if console.isInteractive {
      raw = console.readSecret(prompt: "Token: ")
    } else {
      raw = console.readStandardInput()
    }
    let token = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else { throw CLIError("no token was given on standard input") }
    return token
  }
}
