import ArgumentParser

/// Runs `latchkey` with `arguments` in-process and returns the exit code, writing everything —
/// help, usage errors, results — to the context's console. Tests use this; the executable uses
/// `LatchkeyCommand.main()`, which behaves the same on the real streams.
public enum LatchkeyCLI {
  public static func run(_ arguments: [String], context: CommandContext) async -> Int32 {
    await CommandContext.$current.withValue(context) {
      do {
        var command = try LatchkeyCommand.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
          try await asyncCommand.run()
        } else {
          try command.run()
        }
        return ExitCode.success.rawValue
      } catch {
        let code = LatchkeyCommand.exitCode(for: error)
        let message = LatchkeyCommand.fullMessage(for: error)
        if !message.isEmpty {
          if code == .success {
            context.console.write(message)
          } else {
            context.console.writeError(message)
          }
        }
        return code.rawValue
      }
    }
  }
}
