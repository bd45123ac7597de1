public import Foundation
public import LatchkeyCore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production `HTTPFetcher`: Foundation's URLSession (libcurl on Linux, system OpenSSL),
/// no redirects, bounded size and time, and an SSRF guard that resolves the host first and
/// refuses special-use addresses (RFC 6890) unless `allowPrivateAddresses` (development).
///
/// The guard resolves before connecting, so a DNS answer that changes between the check and the
/// connection (rebinding) is not caught; deployments that need that guarantee send outbound
/// traffic through an egress proxy (docs/deployment.md).
///
/// Fetches of operator-configured URLs (an issuer's JWKS) pass `allowPrivateAddresses: true`:
/// the guard is for URLs an attacker can choose (client ID metadata documents).
///
/// The one file that knows URLSession (with `FetchDelegate`): another HTTP client behind the
/// `HTTPFetcher` seam replaces this module, not its callers.
public final class URLSessionHTTPFetcher: HTTPFetcher {
  let allowPrivateAddresses: Bool
  private let session: URLSession
  private let delegate = FetchDelegate()

  /// - Parameter allowPrivateAddresses: fetch from loopback, private and link-local addresses
  ///   too (for operator-configured URLs and development only).
  public init(allowPrivateAddresses: Bool = false) {
    self.allowPrivateAddresses = allowPrivateAddresses
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.urlCache = nil
    session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
  }

  /// A session keeps its delegate until invalidated: let both go with the fetcher.
  deinit { session.finishTasksAndInvalidate() }

  /// GETs `url` without following redirects, giving up after `timeout` seconds or `maxBytes`
  /// bytes of body.
  /// - Throws: when the address is refused, the fetch fails, or the body is too large.
  public func get(_ url: URL, maxBytes: Int, timeout: TimeInterval) async throws
    -> HTTPFetchResponse
  {
    try await get(
      url, headers: ["Accept": "application/json"], maxBytes: maxBytes, timeout: timeout)
  }

  /// GETs with `headers` (an API answering a bearer token) with the same guard and bounds.
  public func get(
    _ url: URL, headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse {
    var request = URLRequest(url: url, timeoutInterval: timeout)
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    return try await perform(request, maxBytes: maxBytes)
  }

  /// POSTs (token introspection) with the same guard and bounds as `get`.
  public func post(
    _ url: URL, body: [UInt8], headers: [String: String], maxBytes: Int, timeout: TimeInterval
  ) async throws -> HTTPFetchResponse {
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = "POST"
    request.httpBody = Data(body)
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    return try await perform(request, maxBytes: maxBytes)
  }

  private func perform(_ request: URLRequest, maxBytes: Int) async throws -> HTTPFetchResponse {
    guard let host = request.url?.host else { throw HTTPFetchError.unreachable }
    if !allowPrivateAddresses {
      let addresses = try Self.resolve(host)
      guard !addresses.isEmpty else { throw HTTPFetchError.unreachable }
      if addresses.contains(where: SpecialUseAddressRule.isSpecialUse) {
        throw HTTPFetchError.forbiddenAddress
      }
    }
    let body: [UInt8]
    let http: HTTPURLResponse
    do {
      (body, http) = try await delegate.load(
        request, in: session, maxBytes: maxBytes, timeout: request.timeoutInterval)
    } catch let failure as FetchFailure {
      throw failure.fetchError
    }
    if (300..<400).contains(http.statusCode) { throw HTTPFetchError.redirected }
    return HTTPFetchResponse(http, body: body)
  }

  /// Every address `host` resolves to, as numeric strings (getaddrinfo).
  static func resolve(_ host: String) throws -> [String] {
    let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(bare, nil, &hints, &list) == 0, let first = list else {
      throw HTTPFetchError.unreachable
    }
    defer { freeaddrinfo(first) }
    var addresses: [String] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let entry = cursor {
      var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      if getnameinfo(
        entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
        NI_NUMERICHOST) == 0
      {
        addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self))
      }
      cursor = entry.pointee.ai_next
    }
    return addresses
  }
}
