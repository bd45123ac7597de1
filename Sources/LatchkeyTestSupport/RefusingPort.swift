#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A loopback port that refuses every connection while `body` runs: a TCP socket bound to it
/// and never listening. A port bound and closed again does not stay free: the kernel hands it
/// to the next socket that binds port 0, and under a parallel test run that was another test's
/// server, which answered where the test expected "connection refused". While this socket holds
/// the port, no other socket can bind it.
public enum RefusingPort {
  public struct Unavailable: Error {
    public let call: String
  }

  /// Runs `body` with the port, releasing it afterwards.
  public static func with<T>(_ body: (Int) async throws -> T) async throws -> T {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw Unavailable(call: "socket") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(descriptor, socketAddress, length) == 0
          && getsockname(descriptor, socketAddress, &length) == 0
      }
    }
    guard bound else { throw Unavailable(call: "bind") }
    return try await body(Int(UInt16(bigEndian: address.sin_port)))
  }
}
