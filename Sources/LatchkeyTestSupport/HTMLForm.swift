import Foundation

/// The first `<form>` of a page as a browser would submit it: its action, its named inputs
/// (hidden and visible, entity-decoded) and its submit buttons.
public struct HTMLForm: Sendable {
  public var action: String
  public var fields: [(name: String, value: String)]
  public var buttons: [(name: String, value: String)]
  public var hasPasswordField: Bool

  public init?(html: String) {
    guard let formTag = Self.tags("form", in: html).first,
      let action = Self.attribute("action", in: formTag)
    else { return nil }
    self.action = action
    fields = []
    buttons = []
    hasPasswordField = false
    for input in Self.tags("input", in: html) {
      guard let name = Self.attribute("name", in: input) else { continue }
      if Self.attribute("type", in: input) == "password" { hasPasswordField = true }
      fields.append((name, Self.attribute("value", in: input) ?? ""))
    }
    for button in Self.tags("button", in: html) {
      guard let name = Self.attribute("name", in: button) else { continue }
      buttons.append((name, Self.attribute("value", in: button) ?? ""))
    }
  }

  public func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }

  /// The fields with some replaced (a replacement with nil removes the field), plus extras.
  public func submission(replacing: [String: String?] = [:], adding extra: [(String, String)] = [])
    -> [(String, String)]
  {
    var pairs: [(String, String)] = []
    for field in fields {
      if let replacement = replacing[field.name] {
        if let replacement { pairs.append((field.name, replacement)) }
      } else {
        pairs.append((field.name, field.value))
      }
    }
    return pairs + extra
  }

  public static func tags(_ name: String, in html: String) -> [Substring] {
    var found: [Substring] = []
    var rest = html[...]
    while let start = rest.range(of: "<" + name),
      let end = rest[start.upperBound...].firstIndex(of: ">")
    {
      found.append(rest[start.lowerBound...end])
      rest = rest[rest.index(after: end)...]
    }
    return found
  }

  public static func attribute(_ name: String, in tag: Substring) -> String? {
    guard let start = tag.range(of: " \(name)=\"") else { return nil }
    let valueStart = start.upperBound
    guard let end = tag[valueStart...].firstIndex(of: "\"") else { return nil }
    return unescapeEntities(String(tag[valueStart..<end]))
  }

  public static func unescapeEntities(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
