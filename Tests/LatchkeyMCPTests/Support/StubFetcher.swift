import Foundation
import LatchkeyCore
import LatchkeyMCP
import Synchronization

/// Serves fixed documents by URL and counts requests.
final class StubFetcher: HTTPFetcher {
  private let documents: Mutex<[String: Data]>
  private let requests = Mutex<[String]>([])

  init(_ documents: [String: Data]) {
    self.documents = Mutex(documents)
  }

  /// A fetcher serving `issuer`'s metadata and JWKS at `<issuer>/jwks.json`.
  convenience init(issuer: TestIssuer) {
    let jwksURI = issuer.issuer + "/jwks.json"
    self.init([
      issuer.issuer + "/.well-known/oauth-authorization-server": issuer.metadataJSON(
        jwksURI: jwksURI),
      jwksURI: issuer.jwksJSON,
    ])
  }

  func set(_ url: String, _ body: Data) { documents.withLock { $0[url] = body } }

  var requestedURLs: [String] { requests.withLock { $0 } }

  func count(suffix: String) -> Int { requestedURLs.filter { $0.hasSuffix(suffix) }.count }

  func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws -> HTTPFetchResponse {
    requests.withLock { $0.append(url.absoluteString) }
    guard let body = documents.withLock({ $0[url.absoluteString] }) else {
      return HTTPFetchResponse(status: 404, headers: [:], body: [])
    }
    return HTTPFetchResponse(status: 200, headers: [:], body: Array(body))
  }
}
