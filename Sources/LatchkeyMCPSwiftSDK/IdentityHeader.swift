import Foundation
public import LatchkeyMCP
import MCP
import Synchronization

/// How the glue hands the verified identity to swift-sdk tool handlers: an internal request
/// header set from the middleware's verified identity. The glue removes any copy a client sent,
/// so handlers can trust it when (and only when) requests come through `MCPStreamableHTTPEndpoint`.
public enum IdentityHeader {
  /// The header name (never accepted from the network).
  public static let name = "Latchkey-Verified-Identity"
  /// `name` as HTTP/1 canonical (lower-case) field names compare with it.
  static let canonicalName = name.lowercased()

  /// Encoded values of recent identities, and identities of recent values: a session sends
  /// the same token on every request, and JSON coding per request cost more than the rest of
  /// the middleware. Both are pure functions, so remembering answers changes nothing else.
  private static let encoded = Mutex(RecentAnswers<VerifiedIdentity, String>())
  private static let decoded = Mutex(RecentAnswers<String, VerifiedIdentity>())

  static func encode(_ identity: VerifiedIdentity) -> String? {
    if let known = encoded.withLock({ $0[identity] }) { return known }
    guard let value = (try? JSONEncoder().encode(identity))?.base64EncodedString() else {
      return nil
    }
    encoded.withLock { $0[identity] = value }
    return value
  }

  static func decode(_ value: String) -> VerifiedIdentity? {
    if let known = decoded.withLock({ $0[value] }) { return known }
    guard let data = Data(base64Encoded: value),
      let identity = try? JSONDecoder().decode(VerifiedIdentity.self, from: data)
    else { return nil }
    decoded.withLock { $0[value] = identity }
    return identity
  }
}

/// At most `capacity` remembered answers; when full, forgets them all (the working set of a
/// busy server is a few thousand live tokens; a rebuild costs one coding per token).
struct RecentAnswers<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  static var capacity: Int { 4096 }
  private var answers: [Key: Value] = [:]

  subscript(key: Key) -> Value? {
    get { answers[key] }
    set {
      if answers.count >= Self.capacity, answers[key] == nil { answers.removeAll() }
      answers[key] = newValue
    }
  }

  var count: Int { answers.count }
}

extension VerifiedIdentity {
  /// Inside an MCP swift-sdk method handler: the identity of the request being handled
  /// (through `Server.currentHandlerContext?.httpContext`), nil when unauthenticated. It
  /// carries the request's upstream-token accessor (``upstreamToken()``) while the request is
  /// in flight.
  public static var current: VerifiedIdentity? {
    guard let context = Server.currentHandlerContext?.httpContext,
      let value = context.header(IdentityHeader.name),
      var identity = IdentityHeader.decode(value)
    else { return nil }
    if let key = context.header(UpstreamAccessors.name) {
      identity.upstream = UpstreamAccessors.accessor(key)
    }
    return identity
  }
}
