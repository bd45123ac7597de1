import Foundation
import Hummingbird
import LatchkeyJOSE

/// The browser's half of a sign-in through a provider: the `state` sent upstream, our PKCE
/// verifier and `nonce`, the interaction and provider, and when it started — in an HttpOnly,
/// SameSite=Lax cookie (`latchkey_upstream`), so the callback is accepted only in the browser
/// that pressed the button (OAuth 2.1 §7.12 CSRF; RFC 9700 §4.7.1; MCP security best practices
/// "confused deputy": state bound to the browser, ≤ 10 minutes). `state` is also single-use in
/// the `EphemeralStateStore`.
struct UpstreamLoginCookie: Sendable, Codable, Equatable {
  static let name = "latchkey_upstream"
  /// How long the provider has to send the browser back.
  static let lifetime: TimeInterval = 600
  static let maximumLength = 1024

  var state: String
  var verifier: String
  var nonce: String
  var interaction: String
  var provider: String
  /// Seconds since the epoch.
  var started: Int64

  var encoded: String {
    Base64URL.encode(Array((try? JSONEncoder().encode(self)) ?? Data()))
  }

  /// The request's cookie, when it holds a value Latchkey could have set.
  static func read(_ request: Request) -> UpstreamLoginCookie? {
    guard let value = request.cookies[name]?.value, value.utf8.count <= maximumLength,
      let bytes = Base64URL.decode(value),
      let cookie = try? JSONDecoder().decode(UpstreamLoginCookie.self, from: Data(bytes))
    else { return nil }
    return cookie
  }

  /// Whether it was started within `lifetime` before `now`.
  func isLive(at now: Date) -> Bool {
    let age = Int64(now.timeIntervalSince1970) - started
    return age >= 0 && Double(age) <= Self.lifetime
  }
}

extension InteractionCookies {
  func upstreamCookie(_ value: UpstreamLoginCookie) -> Cookie {
    Cookie(
      name: UpstreamLoginCookie.name, value: value.encoded,
      maxAge: Int(UpstreamLoginCookie.lifetime), path: path, secure: secure, httpOnly: true,
      sameSite: .lax)
  }

  /// Deletes the upstream cookie once its callback was used.
  func expiredUpstreamCookie() -> Cookie {
    Cookie(
      name: UpstreamLoginCookie.name, value: "", maxAge: 0, path: path, secure: secure,
      httpOnly: true, sameSite: .lax)
  }
}
