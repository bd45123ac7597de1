public import ArgumentParser

public struct LatchkeyCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(commandName: "latchkey", version: "0.1.0")
  public init() {}
}
