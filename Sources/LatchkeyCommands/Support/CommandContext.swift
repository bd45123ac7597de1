import Foundation
public import LatchkeyCore

/// What a command runs against besides its arguments: the console, the clock and the
/// environment variables. A task-local, because ArgumentParser commands are value types built by
/// the parser; tests bind their own with `CommandContext.$current.withValue`.
public struct CommandContext: Sendable {
  public var console: any Console
  public var clock: any WallClock
  public var environment: [String: String]

  public init(
    console: any Console = StandardConsole(), clock: any WallClock = SystemClock(),
    environment: [String: String]? = nil
  ) {
    self.console = console
    self.clock = clock
    self.environment = environment ?? ProcessInfo.processInfo.environment
  }

  @TaskLocal public static var current = CommandContext()
}
