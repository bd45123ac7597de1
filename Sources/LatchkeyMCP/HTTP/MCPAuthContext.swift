public import Hummingbird
public import NIOCore

/// A ready-made `MCPAuthRequestContext` with the peer address.
public struct MCPAuthContext: MCPAuthRequestContext, RemoteAddressRequestContext {
  /// Hummingbird's per-request storage.
  public var coreContext: CoreRequestContextStorage
  /// Set by ``MCPAuthMiddleware`` once the bearer token verified.
  public var identity: VerifiedIdentity?
  /// The peer's socket address.
  public let remoteAddress: SocketAddress?

  /// Creates the context for a new request; Hummingbird calls this.
  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    identity = nil
    remoteAddress = source.channel.remoteAddress
  }
}
