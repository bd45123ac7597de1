import Foundation

/// Where commands read from and write to. Commands never call `print` directly: they go through
/// `CommandContext.current.console`, so tests capture output in-process.
public protocol Console: Sendable {
  /// Writes `text` and a newline to standard output.
  func write(_ text: String)
  /// Writes `text` and a newline to standard error.
  func writeError(_ text: String)
  /// All of standard input (for `--password-stdin` and tokens piped in).
  func readStandardInput() -> String
  /// Whether standard input is a terminal, so prompts and confirmations are possible.
  var isInteractive: Bool { get }
  /// Prompts on the terminal and reads one line without echo; nil when there is no terminal.
  func readSecret(prompt: String) -> String?
  /// Asks a yes/no question on the terminal; only a `y` or `yes` answer is a yes.
  func confirm(_ question: String) -> Bool
}

/// The process's real standard streams and terminal.
public struct StandardConsole: Console {
  public init() {}

  public func write(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  public func writeError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  public func readStandardInput() -> String {
    String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
  }

  public var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

  public func readSecret(prompt: String) -> String? {
    guard isInteractive else { return nil }
    return TerminalInput.readWithoutEcho(prompt: prompt)
  }

  public func confirm(_ question: String) -> Bool {
    guard isInteractive else { return false }
    FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
    guard let answer = readLine() else { return false }
    return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
  }
}
