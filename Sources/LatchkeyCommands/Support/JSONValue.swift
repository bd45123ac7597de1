import Foundation

/// A JSON document built by hand, so `--json` output has exactly the documented snake_case
/// fields, with `null` for unknown values instead of a missing key (docs/cli.md).
enum JSONValue: Encodable, Sendable, Equatable {
  case string(String)
  case number(Int64)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([String: JSONValue])

  init(_ value: String?) { self = value.map(JSONValue.string) ?? .null }
  init(_ value: Int?) { self = value.map { .number(Int64($0)) } ?? .null }
  init(_ value: Int64?) { self = value.map(JSONValue.number) ?? .null }
  init(_ values: [String]) { self = .array(values.map(JSONValue.string)) }
  /// An RFC 3339 UTC timestamp, or null.
  init(_ date: Date?) { self = date.map { .string(TimeText.timestamp($0)) } ?? .null }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .bool(let value): try container.encode(value)
    case .null: try container.encodeNil()
    case .array(let values): try container.encode(values)
    case .object(let members): try container.encode(members)
    }
  }

  /// Sorted keys, so output is stable between runs; pretty-printed unless a one-line form is
  /// needed (JSON Lines).
  func rendered(pretty: Bool = true) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "null" }
    return String(decoding: data, as: UTF8.self)
  }
}
