import Foundation
import HummingbirdTesting
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Issue 21 part 5: a request whose header fields are over the HTTP layer's limit (80 KB per
/// field and in all) is answered `431 Request Header Fields Too Large` with a JSON body, over a
/// real socket, instead of a bare `400` with an empty body.
@Suite("Request header fields too large")
struct RequestHeaderLimitTests {
  static let expectedBody =
    #"{"error":"invalid_request","error_description":"Request header fields too large."}"#

  /// Writes `request` to 127.0.0.1:`port` and reads until the server closes.
  static func exchange(port: Int, _ request: [UInt8]) async throws -> String {
    try await Task.detached {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { throw POSIXError(.EIO) }
      defer { close(fd) }
      var timeout = timeval(tv_sec: 10, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
      var sent = 0
      while sent < request.count {
        let written = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        if written <= 0 { break }  // the server may stop reading once it has answered
        sent += written
      }
      var received: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 65_536)
      while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        received += buffer[0..<count]
      }
      return String(decoding: received, as: UTF8.self)
    }.value
  }

  static func request(_ path: String, headers: [(String, String)]) -> [UInt8] {
    var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    return Array((text + "\r\n").utf8)
  }

  static func check431(_ response: String, _ label: String) {
    #expect(response.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(label)")
    let lower = response.lowercased()
    #expect(lower.contains("content-type: application/json\r\n"), "\(label)")
    #expect(lower.contains("cache-control: no-store\r\n"), "\(label)")
    #expect(lower.contains("connection: close\r\n"), "\(label)")
    #expect(response.hasSuffix("\r\n\r\n" + expectedBody), "\(label)")
  }

  @Test func oversizeHeaderFieldsGet431WithAJSONBody() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run(.live) { browser in
      let port = try #require(browser.client.port)
      let bearer = "Bearer " + String(repeating: "a", count: 100_000)
      let oneField = try await Self.exchange(
        port: port, Self.request("/healthz", headers: [("Authorization", bearer)]))
      Self.check431(oneField, "one 100 KB field")

      let many = (0..<20).map { ("X-Pad-\($0)", String(repeating: "b", count: 5_000)) }
      let allFields = try await Self.exchange(port: port, Self.request("/healthz", headers: many))
      Self.check431(allFields, "20 fields of 5 KB")

      // Pipelined behind a normal request: that request is answered first, then the 431.
      let pipelined = try await Self.exchange(
        port: port,
        Self.request("/healthz", headers: [])
          + Self.request("/token", headers: [("Authorization", bearer)]))
      #expect(pipelined.hasPrefix("HTTP/1.1 200 OK\r\n"))
      let second = pipelined.range(of: "HTTP/1.1 431").map { String(pipelined[$0.lowerBound...]) }
      Self.check431(second ?? "", "pipelined")

      // Under the limit: answered as usual.
      let large = try await Self.exchange(
        port: port,
        Self.request(
          "/healthz",
          headers: [("X-Pad", String(repeating: "c", count: 8_000)), ("Connection", "close")]))
      #expect(large.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }
  }

  @Test func otherParseErrorsAreStillA400() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run(.live) { browser in
      let port = try #require(browser.client.port)
      let response = try await Self.exchange(port: port, Array("NOT HTTP\r\n\r\n".utf8))
      #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
    }
  }
}
