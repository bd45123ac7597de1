import Foundation
import LatchkeyCore

/// One outbound request of `latchkey doctor --remote`: any method, chosen headers, no
/// credentials.
struct RemoteRequest: Sendable, Equatable {
  var method: String
  var url: URL
  var headers: [String: String] = [:]
  var body: [UInt8] = []
}

/// What came back for one request: a response (body bounded), or why none did.
enum RemoteAnswer: Sendable, Equatable {
  case response(HTTPFetchResponse)
  case failed(String)

  var response: HTTPFetchResponse? {
    if case .response(let response) = self { return response }
    return nil
  }

  var status: Int? { response?.status }

  /// A lower-cased header of the response.
  func header(_ name: String) -> String? { response?.headers[name.lowercased()] }

  /// `200 OK` → "200", a failure → its reason, for messages.
  var summary: String {
    switch self {
    case .response(let response): "\(response.status)"
    case .failed(let reason): reason
    }
  }
}

/// The outbound HTTP seam of the remote doctor: `URLSessionRemoteTransport` in production, a
/// wrapper in tests (a TLS-terminating proxy in front of a plain-http test server).
protocol RemoteTransport: Sendable {
  /// Sends `request` without following redirects, within `timeout` seconds and `maxBytes` of
  /// body; never throws (a failure is an answer).
  func send(_ request: RemoteRequest, maxBytes: Int, timeout: TimeInterval) async -> RemoteAnswer
}

enum RemoteTransports {
  /// The transport `doctor --remote` uses; tests bind another.
  @TaskLocal static var current: any RemoteTransport = URLSessionRemoteTransport()
}
