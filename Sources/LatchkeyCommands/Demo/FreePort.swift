import NIOCore
import NIOPosix

/// A loopback port nobody listens on right now: bind port 0, read what the kernel chose,
/// close. Another process could take it before we bind again; for a demo and tests that
/// window is acceptable (the issuer URL must name the port before the server starts).
enum FreePort {
  static func pick(host: String) async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .bind(host: host, port: 0).get()
    let port = channel.localAddress?.port
    try await channel.close()
    guard let port else { throw DemoError.noFreePort }
    return port
  }
}
