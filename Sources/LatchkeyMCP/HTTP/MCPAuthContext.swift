public import Hummingbird
public import NIOCore

/// A ready-made `MCPAuthRequestContext` with the peer address.
public struct MCPAuthContext: MCPAuthRequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  public var identity: VerifiedIdentity?
  public let remoteAddress: SocketAddress?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    identity = nil
    remoteAddress = source.channel.remoteAddress
  }
}
