import NIOCore
import NIOPosix

/// A loopback port nobody listens on right now, for `--port 0`: the issuer URL must name the
/// port before the server starts, so one is chosen first and bound again by the server.
///
/// Candidates come from 20000–32767, below Linux's default ephemeral range (32768–60999) that
/// `bind(port: 0)` draws from: a server elsewhere in the process (or on the machine) that asked
/// the kernel for any port cannot be handed the one chosen here in the moment between this
/// probe and the demo's own bind. Each candidate is probed by binding it; when none of the
/// attempts is free, the kernel's choice is the fallback.
enum FreePort {
  static let candidates = 20000...32767

  static func pick(host: String) async throws -> Int {
    for _ in 0..<64 {
      let port = Int.random(in: candidates)
      if try await probe(host: host, port: port) != nil { return port }
    }
    guard let port = try await probe(host: host, port: 0) else { throw DemoError.noFreePort }
    return port
  }

  /// Binds `port` (0: the kernel's choice) and closes at once; the bound port, or nil when it
  /// is taken.
  static func probe(host: String, port: Int) async throws -> Int? {
    let channel: any Channel
    do {
      channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: host, port: port).get()
    } catch _ where port != 0 {
      return nil
    }
    let bound = channel.localAddress?.port
    try await channel.close()
    return bound
  }
}
