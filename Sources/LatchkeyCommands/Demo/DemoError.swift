import Foundation
import NIOCore

/// Why the demo could not start.
enum DemoError: Error, CustomStringConvertible {
  case noFreePort
  case notListening(String)
  /// The servers stopped before they answered: the error they stopped with (nil: none).
  case stoppedDuringStartup((any Error)?)
  case invalidPort(Int)
  case passwordTooShort(minimum: Int)

  var description: String {
    switch self {
    case .noFreePort: return "no free loopback port was found"
    case .notListening(let url): return "\(url) did not answer within the startup timeout"
    case .stoppedDuringStartup(let error?):
      return "the demo's servers stopped while starting: \(error)"
    case .stoppedDuringStartup(nil): return "the demo's servers stopped while starting"
    case .invalidPort(let port): return "\(port) is not a port number (0 picks a free one)"
    case .passwordTooShort(let minimum):
      return "the demo password must have at least \(minimum) characters"
    }
  }
}

extension DemoError {
  /// The servers stopped while starting because a port was already bound: `bind` failed with
  /// EADDRINUSE (a port picked free was taken before the server bound it).
  var isAddressInUse: Bool {
    guard case .stoppedDuringStartup(let error?) = self, let failure = error as? IOError else {
      return false
    }
    return failure.errnoCode == EADDRINUSE
  }
}
