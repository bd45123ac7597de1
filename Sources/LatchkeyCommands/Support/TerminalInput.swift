import Foundation

/// Reading a secret from the terminal with echo turned off (termios), so a password never
/// appears on screen, in the shell history or in `ps`.
enum TerminalInput {
  static func readWithoutEcho(prompt: String) -> String? {
    FileHandle.standardError.write(Data(prompt.utf8))
    var original = termios()
    let hasTerminal = tcgetattr(STDIN_FILENO, &original) == 0
    if hasTerminal {
      var silent = original
      silent.c_lflag &= ~tcflag_t(ECHO)
      _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
    }
    defer {
      if hasTerminal { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
      FileHandle.standardError.write(Data("\n".utf8))
    }
    return readLine(strippingNewline: true)
  }
}
