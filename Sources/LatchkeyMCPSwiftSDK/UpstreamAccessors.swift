import Foundation
import LatchkeyMCP
import Synchronization

/// How the glue hands a request's ``UpstreamTokenAccessor`` to swift-sdk tool handlers. The
/// identity header carries the identity as JSON, and the accessor is never encoded (it holds the
/// bearer token), so the glue keeps the accessor here while the request is in flight, under a
/// random key it puts in the internal `Latchkey-Upstream-Accessor` header (a client-sent copy is
/// dropped), and ``VerifiedIdentity/current`` puts it back on the identity.
enum UpstreamAccessors {
  /// The header name (never accepted from the network).
  static let name = "Latchkey-Upstream-Accessor"
  static let canonicalName = name.lowercased()

  private static let inFlight = Mutex<[String: UpstreamTokenAccessor]>([:])

  /// Keeps `accessor` until `remove(_:)`; returns its key (256 random bits).
  static func register(_ accessor: UpstreamTokenAccessor) -> String {
    var generator = SystemRandomNumberGenerator()
    let key = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(
      separator: "-")
    inFlight.withLock { $0[key] = accessor }
    return key
  }

  static func remove(_ key: String) {
    _ = inFlight.withLock { $0.removeValue(forKey: key) }
  }

  static func accessor(_ key: String) -> UpstreamTokenAccessor? {
    inFlight.withLock { $0[key] }
  }

  /// Requests in flight with an accessor (tests check none is left behind).
  static var count: Int { inFlight.withLock { $0.count } }
}
