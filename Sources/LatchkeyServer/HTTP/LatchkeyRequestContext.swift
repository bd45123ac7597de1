public import Hummingbird
public import NIOCore

/// The request context of every Latchkey route: Hummingbird's core storage plus the peer
/// address (for audit and per-source limits).
public struct LatchkeyRequestContext: RequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  public let remoteAddress: SocketAddress?
  /// The client's address: the socket peer, or the forwarded client address when the peer is a
  /// trusted proxy (set by `ForwardedForMiddleware`).
  public var sourceAddress: String?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
    sourceAddress = remoteAddress?.ipAddress
  }

  /// Request bodies Latchkey accepts are small forms and JSON documents.
  public var maxUploadSize: Int { 64 * 1024 }
}
