import NIOCore
import NIOPosix

/// A loopback socket that accepts connections and never writes a byte: a server that hangs, or
/// a port someone else holds.
public enum SilentListener {
  /// Runs `body` with the listener's port, closing the listener afterwards.
  public static func with<T>(_ body: (Int) async throws -> T) async throws -> T {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .bind(host: "127.0.0.1", port: 0).get()
    let result: T
    do {
      guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
      result = try await body(port)
    } catch {
      try await channel.close()
      throw error
    }
    try await channel.close()
    return result
  }
}
