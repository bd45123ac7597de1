import LatchkeyCore

/// A parsed `application/x-www-form-urlencoded` body.
///
/// OAuth 2.1 §3.2 / §1.5: parameters sent without a value are treated as omitted, and request
/// and response parameters must not be included more than once. `resource` (RFC 8707 §2) is the
/// one parameter that may repeat, so it is kept as a list.
///
/// RFC 6749 Appendix A: every value Latchkey reads is built from visible characters, so a value
/// holding a C0 control character or DEL (`ControlCharacterRule`) is malformed; the first such
/// parameter is kept in `controlCharacterParameter` and each endpoint refuses it before any
/// lookup, as it refuses `duplicated`. `password` is the exception: it is never a lookup key
/// (scrypt hashes all of its bytes) and a user may have chosen any characters.
struct FormBody: Sendable {
  private(set) var values: [String: String] = [:]
  private(set) var resources: [String] = []
  private(set) var duplicated: String?
  /// The first parameter whose name or value holds a control character (a `password` value
  /// excepted).
  private(set) var controlCharacterParameter: String?

  /// Parameters whose values may hold control characters: never lookup keys.
  static let controlCharactersAllowed: Set<String> = ["password"]

  /// Parses the body; malformed percent-encoding makes the whole body invalid.
  static func parse(_ bytes: some Collection<UInt8>) -> FormBody? {
    var form = FormBody()
    for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
      let parts = pair.split(
        separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
      guard let name = percentDecode(parts[0]) else { return nil }
      guard let value = parts.count > 1 ? percentDecode(parts[1]) : "" else { return nil }
      if value.isEmpty { continue }
      if form.controlCharacterParameter == nil,
        ControlCharacterRule.containsControlCharacter(name)
          || (!controlCharactersAllowed.contains(name)
            && ControlCharacterRule.containsControlCharacter(value))
      {
        form.controlCharacterParameter = name
      }
      if name == "resource" {
        form.resources.append(value)
      } else if form.values[name] != nil {
        form.duplicated = form.duplicated ?? name
      } else {
        form.values[name] = value
      }
    }
    return form
  }

  subscript(_ name: String) -> String? { values[name] }

  /// `+` is a space, `%XX` a byte; the result must be UTF-8.
  static func percentDecode(_ bytes: some Collection<UInt8>) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var iterator = bytes.makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case UInt8(ascii: "+"): out.append(UInt8(ascii: " "))
      case UInt8(ascii: "%"):
        guard let high = iterator.next().flatMap(hexValue),
          let low = iterator.next().flatMap(hexValue)
        else { return nil }
        out.append(high << 4 | low)
      default: out.append(byte)
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// The first repeated parameter as an OAuth error, if any.
  var duplicationError: OAuthError? {
    duplicated.map { OAuthError(.invalidRequest, "The parameter \($0) was sent more than once.") }
  }

  /// The first parameter holding a control character as an OAuth error, if any: the client's
  /// credentials (`client_id`, `client_secret`) are `invalid_client` (RFC 6749 §5.2: client
  /// authentication failed), any other value `invalid_request` (malformed).
  var controlCharacterError: OAuthError? {
    guard let name = controlCharacterParameter else { return nil }
    if name == "client_id" || name == "client_secret" {
      return OAuthError(.invalidClient, "Client authentication failed.")
    }
    if ControlCharacterRule.containsControlCharacter(name) {
      return OAuthError(.invalidRequest, "A parameter name holds a control character.")
    }
    return OAuthError(.invalidRequest, "The parameter \(name) holds a control character.")
  }
}
