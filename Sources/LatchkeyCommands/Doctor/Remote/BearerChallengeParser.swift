import Foundation

/// The `Bearer` challenge of a `WWW-Authenticate` header, read the way MCP clients read it.
enum BearerChallengeParser {
  /// The auth-params of the first `Bearer` challenge (RFC 9110 §11.6.1: `scheme param=value,
  /// param="quoted"`, several challenges in one header; RFC 6750 §3), parameter names
  /// lower-cased; nil when there is no Bearer challenge.
  static func parameters(_ header: String) -> [String: String]? {
    var scanner = Substring(header)
    var inBearer = false
    var found = false
    var parameters: [String: String] = [:]
    while true {
      scanner = scanner.drop { $0 == " " || $0 == "," || $0 == "\t" }
      if scanner.isEmpty { break }
      let token = scanner.prefix { !" ,=\t".contains($0) }
      scanner = scanner.dropFirst(token.count)
      let rest = scanner.drop { $0 == " " || $0 == "\t" }
      if rest.first == "=" && !rest.dropFirst().hasPrefix("=") {
        scanner = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        let value: String
        if scanner.first == "\"" {
          (value, scanner) = quoted(scanner.dropFirst())
        } else {
          let raw = scanner.prefix { $0 != "," }
          scanner = scanner.dropFirst(raw.count)
          value = raw.trimmingCharacters(in: .whitespaces)
        }
        if inBearer { parameters[token.lowercased()] = value }
      } else {
        // A new challenge's scheme (or token68, skipped).
        if found && inBearer { break }
        inBearer = token.lowercased() == "bearer"
        found = found || inBearer
      }
    }
    return found ? parameters : nil
  }

  /// A quoted-string's value (RFC 9110 §5.6.4, backslash escapes) and what follows it.
  private static func quoted(_ text: Substring) -> (String, Substring) {
    var value = ""
    var rest = text
    while let character = rest.first {
      rest = rest.dropFirst()
      if character == "\\", let next = rest.first {
        value.append(next)
        rest = rest.dropFirst()
      } else if character == "\"" {
        break
      } else {
        value.append(character)
      }
    }
    return (value, rest)
  }
}
