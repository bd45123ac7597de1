import Hummingbird
import NIOCore

/// `latchkey-bench serve-hello --port P`: the smallest Hummingbird JSON GET (`GET /hello`, a
/// constant body, no middleware), the machine's ceiling for any GET endpoint served with
/// Hummingbird. scripts/bench puts discovery and JWKS next to it. Runs until killed.
enum HelloServerCommand {
  static func run(_ arguments: [String]) async throws {
    guard arguments.count == 2, arguments[0] == "--port", let port = Int(arguments[1]) else {
      throw BenchUsage.missingValue("--port")
    }
    let body = ByteBuffer(string: #"{"hello":"world"}"#)
    let router = Router()
    router.get("/hello") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: body))
    }
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    try await app.runService()
  }
}
