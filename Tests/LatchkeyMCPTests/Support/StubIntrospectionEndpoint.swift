import Foundation
import LatchkeyCore
import Synchronization

/// An introspection endpoint in a box: answers every POST with `answer` (status 200) or
/// `status`, or fails like a dead server; records what was sent.
final class StubIntrospectionEndpoint: HTTPFetcher {
  struct Sent: Sendable {
    var url: URL
    var headers: [String: String]
    var body: String
  }

  enum Behaviour: Sendable {
    case answer(String)
    case status(Int)
    case down
  }

  private let behaviour: Mutex<Behaviour>
  private let sent = Mutex<[Sent]>([])

  init(_ behaviour: Behaviour) {
    self.behaviour = Mutex(behaviour)
  }

  func set(_ value: Behaviour) { behaviour.withLock { $0 = value } }

  var requests: [Sent] { sent.withLock { $0 } }

  func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse {
    throw HTTPFetchError.unreachable
  }

  func post(
    _ url: URL, body: [UInt8], headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse {
    sent.withLock {
      $0.append(Sent(url: url, headers: headers, body: String(decoding: body, as: UTF8.self)))
    }
    switch behaviour.withLock({ $0 }) {
    case .answer(let json):
      return HTTPFetchResponse(
        status: 200, headers: ["content-type": "application/json"], body: Array(json.utf8))
    case .status(let code):
      return HTTPFetchResponse(status: code, headers: [:], body: Array(#"{"error":"x"}"#.utf8))
    case .down:
      throw HTTPFetchError.unreachable
    }
  }
}
