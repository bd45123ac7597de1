import Foundation
import Hummingbird
import LatchkeyJOSE

/// The cookies of the authorization pages.
///
/// `HttpOnly` (no script reads them), `SameSite=Lax` (sent on the client's top-level redirect
/// to `/authorize`, not on cross-site POSTs), `Path` the issuer's path, and `Secure` unless the
/// issuer is a plain-http loopback development server (RFC 6265bis §4.1.2).
struct InteractionCookies: Sendable {
  static let session = "latchkey_session"
  /// Double-submit CSRF token (OWASP CSRF cheat sheet): the same random value in this cookie
  /// and in every form's hidden `csrf_token`.
  static let csrf = "latchkey_csrf"
  /// A browser that signed in to an account before (OWASP "device cookies"): exempt from the
  /// account-wide login back-off (`LoginBackoffRule`). Random; the store keeps the hash of the
  /// value with the account.
  static let device = "latchkey_device"
  /// How long a browser stays trusted after its last successful sign-in.
  static let deviceLifetime: TimeInterval = 90 * 86_400

  let path: String
  let secure: Bool

  init(issuer: String, issuerPath: String) {
    path = issuerPath.isEmpty ? "/" : issuerPath
    secure = !issuer.lowercased().hasPrefix("http://")
  }

  func sessionCookie(_ value: String) -> Cookie {
    Cookie(
      name: Self.session, value: value, maxAge: Int(LoginSessions.lifetime), path: path,
      secure: secure, httpOnly: true, sameSite: .lax)
  }

  func csrfCookie(_ value: String) -> Cookie {
    Cookie(
      name: Self.csrf, value: value, path: path, secure: secure, httpOnly: true, sameSite: .lax)
  }

  func deviceCookie(_ value: String) -> Cookie {
    Cookie(
      name: Self.device, value: value, maxAge: Int(Self.deviceLifetime), path: path,
      secure: secure, httpOnly: true, sameSite: .lax)
  }

  /// A cookie value Latchkey could have set: base64url of 32 bytes.
  static func isWellFormed(_ value: String) -> Bool {
    value.utf8.count == 43
      && value.utf8.allSatisfy { byte in
        PercentEncoding.isUnreserved(byte) && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "~")
      }
  }

  /// The request's CSRF cookie value, when well formed.
  static func csrfToken(in request: Request) -> String? {
    request.cookies[csrf].map(\.value).flatMap { isWellFormed($0) ? $0 : nil }
  }

  static func sessionID(in request: Request) -> String? {
    request.cookies[session].map(\.value).flatMap { isWellFormed($0) ? $0 : nil }
  }
}

extension InteractionCookies {
  static func deviceToken(in request: Request) -> String? {
    request.cookies[device].map(\.value).flatMap { isWellFormed($0) ? $0 : nil }
  }
}
