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
    if let form = bytes.withContiguousStorageIfAvailable({ parse(contiguous: $0) }) {
      return form
    }
    return Array(bytes).withUnsafeBufferPointer { parse(contiguous: $0) }
  }

  /// `parse` over contiguous bytes: one pass over `&`-separated pairs, each split at its first
  /// `=`, decoded in place (no intermediate arrays of slices).
  private static func parse(contiguous bytes: UnsafeBufferPointer<UInt8>) -> FormBody? {
    var form = FormBody()
    var pairStart = 0
    while pairStart < bytes.count {
      var pairEnd = pairStart
      while pairEnd < bytes.count, bytes[pairEnd] != UInt8(ascii: "&") { pairEnd += 1 }
      defer { pairStart = pairEnd + 1 }
      if pairEnd == pairStart { continue }
      var equals = pairStart
      while equals < pairEnd, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
      guard let name = decode(bytes, pairStart..<equals) else { return nil }
      let valueRange = equals < pairEnd ? (equals + 1)..<pairEnd : pairEnd..<pairEnd
      guard let value = decode(bytes, valueRange) else { return nil }
      if value.text.isEmpty { continue }
      if form.controlCharacterParameter == nil,
        name.holdsControlCharacter
          || (value.holdsControlCharacter && !controlCharactersAllowed.contains(name.text))
      {
        form.controlCharacterParameter = name.text
      }
      if name.text == "resource" {
        form.resources.append(value.text)
      } else if form.values[name.text] != nil {
        form.duplicated = form.duplicated ?? name.text
      } else {
        form.values[name.text] = value.text
      }
    }
    return form
  }

  subscript(_ name: String) -> String? { values[name] }

  /// `+` is a space, `%XX` a byte; the result must be UTF-8.
  static func percentDecode(_ bytes: some Collection<UInt8>) -> String? {
    let decoded =
      bytes.withContiguousStorageIfAvailable { decode($0, 0..<$0.count) }
      ?? Array(bytes).withUnsafeBufferPointer { decode($0, 0..<$0.count) }
    return decoded?.text
  }

  /// Percent-decodes `range` of `bytes` (`+` is a space) into UTF-8 text, noting on the way
  /// whether a decoded byte is a control character (`ControlCharacterRule.isControlByte`).
  /// Nil for malformed percent-encoding or bytes that are not UTF-8.
  private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
    -> (text: String, holdsControlCharacter: Bool)?
  {
    let slice = UnsafeBufferPointer(rebasing: bytes[range])
    var control = false
    var encoded = false
    for byte in slice {
      control = control || ControlCharacterRule.isControlByte(byte)
      encoded = encoded || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+")
    }
    if !encoded {
      guard let text = String(validating: slice, as: UTF8.self) else { return nil }
      return (text, control)
    }
    var out: [UInt8] = []
    out.reserveCapacity(slice.count)
    var index = 0
    while index < slice.count {
      var byte = slice[index]
      index += 1
      if byte == UInt8(ascii: "+") {
        byte = UInt8(ascii: " ")
      } else if byte == UInt8(ascii: "%") {
        guard index + 1 < slice.count, let high = hexValue(slice[index]),
          let low = hexValue(slice[index + 1])
        else { return nil }
        byte = high << 4 | low
        index += 2
        control = control || ControlCharacterRule.isControlByte(byte)
      }
      out.append(byte)
    }
    guard let text = String(validating: out, as: UTF8.self) else { return nil }
    return (text, control)
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
