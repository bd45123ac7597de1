import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import NIOCore

/// Builders for the responses every endpoint shares.
enum Responses {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
  static let pragma = HTTPField.Name("Pragma")!

  /// A JSON response. Token-bearing and error responses are never cached (OAuth 2.1 §3.2.3).
  static func json(
    _ value: some Encodable, status: HTTPResponse.Status = .ok, noStore: Bool = true,
    extraHeaders: HTTPFields = [:]
  ) -> Response {
    json(
      encoded: (try? encoder.encode(value)) ?? Data("{}".utf8), status: status, noStore: noStore,
      extraHeaders: extraHeaders)
  }

  /// A JSON response from an already encoded body.
  static func json(
    encoded data: Data, status: HTTPResponse.Status = .ok, noStore: Bool = true,
    extraHeaders: HTTPFields = [:]
  ) -> Response {
    json(
      body: ByteBuffer(bytes: data), status: status, noStore: noStore, extraHeaders: extraHeaders)
  }

  /// A JSON response from already encoded bytes (never cached).
  static func json(bytes: [UInt8]) -> Response {
    json(body: ByteBuffer(bytes: bytes))
  }

  private static func json(
    body: ByteBuffer, status: HTTPResponse.Status = .ok, noStore: Bool = true,
    extraHeaders: HTTPFields = [:]
  ) -> Response {
    Response(
      status: status, headers: jsonHeaders(noStore: noStore, extraHeaders: extraHeaders),
      body: .init(byteBuffer: body))
  }

  /// The headers of every JSON answer, then `extraHeaders`.
  static func jsonHeaders(noStore: Bool, extraHeaders: HTTPFields) -> HTTPFields {
    var headers: HTTPFields = [
      .contentType: "application/json",
      // Never sniff a JSON answer into something a browser would render.
      contentTypeOptions: "nosniff",
    ]
    if noStore {
      headers[.cacheControl] = "no-store"
      headers[pragma] = "no-cache"
    }
    headers.append(contentsOf: extraHeaders)
    return headers
  }

  /// A JSON answer prepared once and served many times (discovery, JWKS): its headers are
  /// built once and every response shares the body's bytes (a `ByteBuffer` copy is a
  /// reference), so a request copies neither.
  struct PreparedJSON: Sendable {
    let headers: HTTPFields
    let body: ByteBuffer

    init(encoded data: Data, extraHeaders: HTTPFields) {
      headers = Responses.jsonHeaders(noStore: false, extraHeaders: extraHeaders)
      body = ByteBuffer(bytes: data)
    }

    var response: Response {
      Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
  }

  /// The JSON error body of OAuth 2.1 §3.2.4 with the code's status; `invalid_client` after
  /// Basic authentication carries the matching challenge (§3.2.4).
  static func oauthError(_ error: OAuthError, basicChallenge: Bool = false) -> Response {
    var extra: HTTPFields = [:]
    if error.code == .invalidClient, basicChallenge {
      extra[.wwwAuthenticate] = "Basic realm=\"latchkey\", charset=\"UTF-8\""
    }
    return json(
      error.body, status: HTTPResponse.Status(code: error.code.httpStatus), extraHeaders: extra)
  }

  static func html(
    _ body: String, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]
  )
    -> Response
  {
    var headers: HTTPFields = [
      .contentType: "text/html; charset=utf-8",
      .cacheControl: "no-store",
    ]
    headers.append(contentsOf: SecurityHeaders.pages)
    headers.append(contentsOf: extraHeaders)
    return Response(
      status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
  }
}

/// Headers that keep the login and consent pages out of frames and referrers.
enum SecurityHeaders {
  static let pages: HTTPFields = [
    .contentSecurityPolicy:
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'none'; base-uri 'none'",
    HTTPField.Name("X-Frame-Options")!: "DENY",
    HTTPField.Name("Referrer-Policy")!: "no-referrer",
    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
  ]
}
