import Foundation

/// The top-level members of a JSON metadata document (RFC 9728 §2 protected resource metadata,
/// RFC 8414 §2 authorization server metadata), kept only as far as the checks read them.
struct MetadataDocument: Sendable, Equatable {
  enum Member: Sendable, Equatable {
    case string(String)
    case strings([String])
    case bool(Bool)
    case other
  }

  var members: [String: Member]

  init(members: [String: Member]) { self.members = members }

  /// Parses a JSON object; nil for anything else (RFC 8414 §3.2 and RFC 9728 §3.2: the
  /// response is a JSON object).
  init?(json body: [UInt8]) {
    guard
      let members = try? JSONDecoder().decode([String: Decoded].self, from: Data(body))
    else { return nil }
    self.members = members.mapValues(\.member)
  }

  /// One member's value; JSONDecoder keeps `true` apart from `1`, which JSONSerialization on
  /// Linux does not.
  private struct Decoded: Decodable {
    let member: Member

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let bool = try? container.decode(Bool.self) {
        member = .bool(bool)
      } else if let string = try? container.decode(String.self) {
        member = .string(string)
      } else if let strings = try? container.decode([String].self) {
        member = .strings(strings)
      } else {
        member = .other
      }
    }
  }

  func string(_ key: String) -> String? {
    if case .string(let value) = members[key] { return value }
    return nil
  }

  func strings(_ key: String) -> [String]? {
    if case .strings(let values) = members[key] { return values }
    return nil
  }

  func bool(_ key: String) -> Bool? {
    if case .bool(let value) = members[key] { return value }
    return nil
  }

  /// Every `http:` or `https:` URL among the members' values, with its member name, sorted by
  /// name (for the transport-security check).
  var urls: [(member: String, url: String)] {
    members.keys.sorted().flatMap { key -> [(member: String, url: String)] in
      let values: [String]
      switch members[key] {
      case .string(let value): values = [value]
      case .strings(let list): values = list
      default: values = []
      }
      return values.filter {
        $0.lowercased().hasPrefix("http://") || $0.lowercased().hasPrefix("https://")
      }
      .map { (key, $0) }
    }
  }
}
