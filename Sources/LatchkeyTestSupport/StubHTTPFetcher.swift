public import Foundation
public import LatchkeyCore
import Synchronization

/// An `HTTPFetcher` answering from a table, counting requests per URL.
public final class StubHTTPFetcher: HTTPFetcher {
  private let responses: Mutex<[String: Result<HTTPFetchResponse, HTTPFetchError>]>
  private let counts = Mutex<[String: Int]>([:])

  public init(_ responses: [String: Result<HTTPFetchResponse, HTTPFetchError>] = [:]) {
    self.responses = Mutex(responses)
  }

  public func set(_ url: String, _ response: Result<HTTPFetchResponse, HTTPFetchError>) {
    responses.withLock { $0[url] = response }
  }

  /// A 200 JSON answer with optional cache headers.
  public static func json(_ text: String, cacheControl: String? = nil) -> Result<
    HTTPFetchResponse, HTTPFetchError
  > {
    var headers = ["content-type": "application/json"]
    if let cacheControl { headers["cache-control"] = cacheControl }
    return .success(HTTPFetchResponse(status: 200, headers: headers, body: Array(text.utf8)))
  }

  public func fetchCount(_ url: String) -> Int { counts.withLock { $0[url] ?? 0 } }

  public func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws
    -> HTTPFetchResponse
  {
    counts.withLock { $0[url.absoluteString, default: 0] += 1 }
    guard let answer = responses.withLock({ $0[url.absoluteString] }) else {
      throw HTTPFetchError.unreachable
    }
    let response = try answer.get()
    guard response.body.count <= maxBytes else { throw HTTPFetchError.tooLarge }
    return response
  }
}
