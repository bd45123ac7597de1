import LatchkeyCore
import LatchkeyJOSE
import Synchronization

/// State the authorization pages share across requests: login sessions, interactions, the
/// login throttle (all in the `EphemeralStateStore`), the page templates, and a decoy password
/// hash.
final class AuthorizeInteraction: Sendable {
  let sessions: LoginSessions
  let interactions: Interactions
  let throttle: LoginThrottle
  let pages = PageLibrary()
  private let decoy = Mutex<String?>(nil)

  init(state: any EphemeralStateStore) {
    sessions = LoginSessions(state: state)
    interactions = Interactions(state: state)
    throttle = LoginThrottle(state: state)
  }

  /// A hash with the server's parameters, verified against when the username is unknown so an
  /// unknown user costs the same time as a wrong password (no username oracle by timing).
  func decoyHash(_ hasher: ScryptPasswordHasher) -> String? {
    if let hash = decoy.withLock({ $0 }) { return hash }
    let hash = try? hasher.hash(SecureRandom.token())
    decoy.withLock { $0 = hash }
    return hash
  }
}
