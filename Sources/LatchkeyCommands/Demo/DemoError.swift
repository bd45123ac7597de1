/// Why the demo could not start.
enum DemoError: Error, CustomStringConvertible {
  case noFreePort
  case notListening(String)
  case invalidPort(Int)
  case passwordTooShort(minimum: Int)

  var description: String {
    switch self {
    case .noFreePort: return "no free loopback port was found"
    case .notListening(let url): return "\(url) did not answer within the startup timeout"
    case .invalidPort(let port): return "\(port) is not a port number (0 picks a free one)"
    case .passwordTooShort(let minimum):
      return "the demo password must have at least \(minimum) characters"
    }
  }
}
