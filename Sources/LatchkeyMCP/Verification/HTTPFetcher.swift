public import Foundation

/// The I/O seam for metadata and JWKS downloads: `URLSessionFetcher` in production, stubs in
/// tests.
public protocol HTTPFetcher: Sendable {
  /// GETs `url` and returns the status and body; throws on transport failure.
  func get(_ url: URL) async throws -> HTTPFetchResponse
}

/// A fetched document.
public struct HTTPFetchResponse: Sendable, Equatable {
  public var status: Int
  public var body: Data

  public init(status: Int, body: Data) {
    self.status = status
    self.body = body
  }
}
