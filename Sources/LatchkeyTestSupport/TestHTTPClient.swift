public import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real HTTP client over URLSession for end-to-end tests: never follows redirects, keeps
/// cookies per host:port itself (so `Secure`/`Path` quirks of Foundation's jar on plain-http
/// loopback do not matter), and reports every response as a `TestHTTPResponse`.
public final class TestHTTPClient: Sendable {
  private let session: URLSession
  private let jar = Mutex<[String: [String: String]]>([:])

  public init(timeout: TimeInterval = 10) {
    LeakScan.bootstrapLogging()
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    configuration.urlCache = nil
    configuration.timeoutIntervalForRequest = timeout
    session = URLSession(
      configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
  }

  public func get(_ url: String, headers: [String: String] = [:]) async throws
    -> TestHTTPResponse
  {
    try await send("GET", url, headers: headers, body: nil)
  }

  public func postForm(_ url: String, _ pairs: [(String, String)]) async throws
    -> TestHTTPResponse
  {
    try await send(
      "POST", url, headers: ["Content-Type": "application/x-www-form-urlencoded"],
      body: Data(FormEncoding.encode(pairs).utf8))
  }

  public func postJSON(_ url: String, _ json: String, headers: [String: String] = [:])
    async throws -> TestHTTPResponse
  {
    try await send(
      "POST", url, headers: headers.merging(["Content-Type": "application/json"]) { $1 },
      body: Data(json.utf8))
  }

  public func send(_ method: String, _ url: String, headers: [String: String], body: Data?)
    async throws -> TestHTTPResponse
  {
    guard let target = URL(string: url) else { throw OAuthTestError.missing("URL \(url)") }
    var request = URLRequest(url: target)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let origin = Self.origin(of: target)
    let cookies = jar.withLock { $0[origin] ?? [:] }
    if !cookies.isEmpty {
      request.setValue(
        cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
          .joined(separator: "; "), forHTTPHeaderField: "Cookie")
    }
    request.httpBody = body
    let (data, response) = try await session.data(for: request)
    guard let http = response as? HTTPURLResponse else {
      throw OAuthTestError.missing("HTTP response from \(url)")
    }
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      if let name = name as? String, let value = value as? String {
        fields[name.lowercased()] = value
      }
    }
    if let setCookie = fields["set-cookie"] { remember(setCookie, origin: origin) }
    LeakScan.observe(
      requestHeaders: (request.allHTTPHeaderFields ?? [:]).map { ($0.key, $0.value) },
      requestBody: body.map { String(decoding: $0, as: UTF8.self) }, status: http.statusCode,
      responseHeaders: fields.map { ($0.key, $0.value) }, responseBody: Array(data))
    return TestHTTPResponse(status: http.statusCode, headers: fields, body: data)
  }

  /// Latchkey's cookies carry no `Expires`, so a comma only ever separates two cookies.
  private func remember(_ header: String, origin: String) {
    for cookie in header.split(separator: ",") {
      let pair = cookie.split(separator: ";", maxSplits: 1)[0]
        .trimmingCharacters(in: .whitespaces)
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else { continue }
      let expired = cookie.lowercased().contains("max-age=0")
      jar.withLock { $0[origin, default: [:]][String(parts[0])] = expired ? nil : String(parts[1]) }
    }
  }

  private static func origin(of url: URL) -> String {
    "\(url.host ?? ""):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
  }
}
