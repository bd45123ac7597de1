import LatchkeyCommands

@main
enum App {
  static func main() async {
    await LatchkeyCommand.main()
  }
}
