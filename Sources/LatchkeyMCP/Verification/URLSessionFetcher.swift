public import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `HTTPFetcher` on Foundation's `URLSession` (FoundationNetworking/libcurl on Linux).
public struct URLSessionFetcher: HTTPFetcher {
  /// Requests give up after this many seconds.
  public var timeout: TimeInterval
  /// Bodies larger than this are refused (a JWKS or metadata document is a few KiB).
  public var maximumBodyBytes: Int

  public init(timeout: TimeInterval = 5, maximumBodyBytes: Int = 256 * 1024) {
    self.timeout = timeout
    self.maximumBodyBytes = maximumBodyBytes
  }

  public func get(_ url: URL) async throws -> HTTPFetchResponse {
    var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData)
    request.timeoutInterval = timeout
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    let (data, response) = try await URLSession.shared.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
    guard data.count <= maximumBodyBytes else { throw URLError(.dataLengthExceedsMaximum) }
    return HTTPFetchResponse(status: http.statusCode, body: data)
  }
}
