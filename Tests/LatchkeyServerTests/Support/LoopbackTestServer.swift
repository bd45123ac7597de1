import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A stand-in provider's socket: serves a router on 127.0.0.1 (ephemeral port) while a test
/// runs, knows its own base URL, and plays the browser's visit to its authorization page.
/// `StubOpenIDProvider` and `GitHubContractServer` both run on one.
final class LoopbackTestServer: Sendable {
  private let baseBox = Mutex("")
  private let clientBox = Mutex<(any TestClientProtocol)?>(nil)

  /// `http://127.0.0.1:<port>` while `run` runs.
  var base: String { baseBox.withLock { $0 } }

  /// Serves `router` while `body` runs, with the base URL.
  func run<Value: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: @Sendable (String) async throws -> Value
  ) async throws -> Value {
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in
      guard let port = client.port else { throw TestFlowError.noLocation }
      let base = "http://127.0.0.1:\(port)"
      baseBox.withLock { $0 = base }
      clientBox.withLock { $0 = client }
      defer { clientBox.withLock { $0 = nil } }
      return try await body(base)
    }
  }

  /// The browser's GET of `location` on this server, which must answer 302: where it sends
  /// the browser back (the `Location`).
  func visit(_ location: String) async throws -> String {
    guard let client = clientBox.withLock({ $0 }), let components = URLComponents(string: location)
    else { throw TestFlowError.noLocation }
    let uri = components.path + "?" + (components.percentEncodedQuery ?? "")
    let response = try await client.executeRequest(
      uri: uri, method: .get, headers: [:], body: nil)
    guard response.status == .found, let back = response.headers[.location] else {
      throw TestFlowError.unexpected(status: response.status.code)
    }
    return back
  }
}
