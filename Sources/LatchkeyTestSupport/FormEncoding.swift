import Foundation

/// `application/x-www-form-urlencoded` for test requests, and query parsing for redirects.
public enum FormEncoding {
  public static func encode(_ pairs: [(String, String)]) -> String {
    pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
  }

  public static func escape(_ value: String) -> String {
    var out = ""
    for byte in value.utf8 {
      let unreserved =
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || (0x30...0x39).contains(byte) || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte)
      if unreserved {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
      }
    }
    return out
  }

  /// Parses `a=b&c=d` (percent-decoding, `+` as space); repeated names keep the first value.
  public static func decode(_ query: String) -> [String: String] {
    var result: [String: String] = [:]
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = unescape(String(parts[0]))
      let value = parts.count > 1 ? unescape(String(parts[1])) : ""
      if result[name] == nil { result[name] = value }
    }
    return result
  }

  public static func unescape(_ value: String) -> String {
    (value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? value
  }
}

extension String {
  fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
