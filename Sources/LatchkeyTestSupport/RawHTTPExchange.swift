import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// One HTTP/1.1 exchange written byte for byte on a real socket: the request target goes out
/// exactly as given (`//mcp`, `/a/../mcp`, `/%6Dcp`), which URL-based clients would normalise
/// or refuse. The request carries `Connection: close`; the whole answer is read until the
/// server closes.
public enum RawHTTPExchange {
  /// The answer: status code, header fields (names lower-cased), body text.
  public struct Answer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: String

    /// The first field named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
      headers.first { $0.name == name.lowercased() }?.value
    }
  }

  /// Sends `method target HTTP/1.1` with `headers` (Host and Connection are added) and `body`.
  public static func send(
    port: Int, method: String, target: String, headers: [(String, String)] = [],
    body: String = ""
  ) async throws -> Answer {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
    text += "\r\n" + body
    let collected = try await exchange(port: port, bytes: Array(text.utf8))
    return try parse(collected)
  }

  private static func exchange(port: Int, bytes: [UInt8]) async throws -> [UInt8] {
    let collector = Collector()
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .channelInitializer { channel in channel.pipeline.addHandler(collector) }
      .connect(host: "127.0.0.1", port: port).get()
    try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    try await channel.closeFuture.get()
    return collector.bytes.withLock { $0 }
  }

  private static func parse(_ bytes: [UInt8]) throws -> Answer {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n") else { throw ParseError.noHead(text) }
    let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
      throw ParseError.noHead(text)
    }
    var headers: [(name: String, value: String)] = []
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers.append(
        (
          line[..<colon].lowercased(),
          line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        ))
    }
    var body = String(text[headEnd.upperBound...])
    if headers.contains(where: { $0.name == "transfer-encoding" && $0.value == "chunked" }) {
      body = dechunked(body)
    }
    return Answer(status: status, headers: headers, body: body)
  }

  /// RFC 9112 §7.1 chunked body, decoded (enough for tests: no trailers, no extensions).
  private static func dechunked(_ text: String) -> String {
    var remaining = Substring(text)
    var out = ""
    while let lineEnd = remaining.range(of: "\r\n") {
      guard let size = Int(remaining[..<lineEnd.lowerBound], radix: 16), size > 0 else { break }
      let start = lineEnd.upperBound
      let chunk = remaining.utf8.dropFirst(
        remaining.utf8.distance(
          from: remaining.startIndex, to: start)
      ).prefix(size)
      out += String(decoding: chunk, as: UTF8.self)
      remaining = Substring(
        String(
          decoding: remaining.utf8.dropFirst(
            remaining.utf8.distance(from: remaining.startIndex, to: start) + size + 2),
          as: UTF8.self))
    }
    return out
  }

  enum ParseError: Error { case noHead(String) }

  private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let bytes = Mutex<[UInt8]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      let buffer = unwrapInboundIn(data)
      bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
    }
  }
}
