import Foundation
import Testing

@testable import LatchkeyMCP

/// The one-pass JSON-RPC peek against the Foundation `JSONSerialization` reading it replaced
/// (kept here as the oracle), on hand-picked and generated bodies, plus the cases where the
/// scanner is deliberately stricter.
@Suite struct JSONRPCScannerTests {
  /// The previous implementation: parse with JSONSerialization, then pick the members.
  enum ReferencePeek {
    static func peek(_ body: [UInt8]) -> JSONRPCPeek.Result {
      guard
        let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
      else { return .parseError }
      if let object = json as? [String: Any] {
        return call(object).map { .calls([$0]) } ?? .invalidRequest
      }
      guard let array = json as? [Any], !array.isEmpty else { return .invalidRequest }
      var calls: [JSONRPCCall] = []
      for element in array {
        guard let object = element as? [String: Any], let call = call(object) else {
          return .invalidRequest
        }
        calls.append(call)
      }
      return .calls(calls)
    }

    static func call(_ object: [String: Any]) -> JSONRPCCall? {
      let id: JSONRPCID? =
        switch object["id"] {
        case let string as String: .string(string)
        case let number as Int: .number(Int64(number))
        default: nil
        }
      if let method = object["method"] {
        guard let method = method as? String else { return nil }
        var toolName: String?
        if method == "tools/call", let params = object["params"] as? [String: Any] {
          toolName = params["name"] as? String
        }
        return JSONRPCCall(method: method, toolName: toolName, id: id)
      }
      guard object["result"] != nil || object["error"] != nil else { return nil }
      return JSONRPCCall(method: nil, id: id)
    }
  }

  static let agreed: [String] = [
    #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add_note","arguments":{"text":"hi"}}}"#,
    #"  {"method" : "tools/list" , "id" : "x\"y"}  "#,
    #"{"method":"tools\/call","params":{"name":"add_\u006eote"},"id":-12}"#,
    #"{"method":"tools/call","params":{"arguments":{"name":"list_notes"},"name":"delete_note"}}"#,
    #"{"method":"tools/call","params":{"name":42}}"#,
    #"{"method":"tools/call","params":[1,2]}"#,
    #"{"method":"tools/list","params":{"name":"x"}}"#,
    #"{"method":17}"#,
    #"{"id":3,"result":null}"#,
    #"{"id":3,"error":{"code":-32600,"message":"m"}}"#,
    #"{"id":3}"#,
    #"{}"#,
    #"[]"#,
    #"[{"method":"a"},{"method":"b","id":[1]}]"#,
    #"[{"method":"a"},3]"#,
    #"[{"method":"a"},{"id":1}]"#,
    #""tools/call""#,
    "42", "-0.5e+3", "true", "false", "null",
    #"{"method":"é ☃ 😀","params":{"name":"ünïcode"}}"#,
    #"{"method":"\ud83d\ude00"}"#,
    #"{"a":{"b":{"c":[[[{"d":[]}]]]}},"method":"deep"}"#,
    #"{"method":"x","n":[0,1.5,-2e10,3E-2,1e+1]}"#,
    #"{"method":"x","n":1e400}"#, #"{"method":"x","n":-1e-400}"#,
    #"{"method":"x","n":123456789012345678901234567890}"#,
    "", " ", "{", "}", "[", "[{}", #"{"method" "x"}"#,
    #"{"method":"x"} {}"#, #"{"method":'x'}"#, "01", "1.", ".5", "-", "1e", "tru", "nul",
    #"{"method":"a\qb"}"#, #"{"method":"\u12"}"#, "{\"method\":\"a\u{01}b\"}",
    #"{method:"x"}"#, #"{"method":"x""#, "[{\"method\":\"x\"}]]",
  ]

  @Test(arguments: agreed)
  func agreesWithJSONSerialization(_ text: String) {
    let bytes = Array(text.utf8)
    #expect(JSONRPCPeek.peek(bytes) == ReferencePeek.peek(bytes), "\(text)")
  }

  /// Random single-byte edits of valid bodies: the scanner and the oracle must classify each
  /// the same way (ids only matter for error bodies and are compared when both kept one).
  @Test func agreesWithJSONSerializationOnMutations() {
    var generator = SystemRandomNumberGenerator()
    let seeds = Self.agreed.prefix(12).map { Array($0.utf8) }
    let alphabet = Array(#"{}[]":,\ u0aA9-+.eEtfn"#.utf8) + [0x01, 0xC3, 0xFF]
    var compared = 0
    for _ in 0..<4000 {
      var bytes = seeds.randomElement(using: &generator)!
      let position = Int.random(in: 0..<bytes.count, using: &generator)
      switch Int.random(in: 0..<3, using: &generator) {
      case 0: bytes[position] = alphabet.randomElement(using: &generator)!
      case 1: bytes.remove(at: position)
      default: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
      }
      let ours = JSONRPCPeek.peek(bytes)
      let reference = ReferencePeek.peek(bytes)
      if Self.duplicatesSensitiveNames(bytes) || Self.hasTrailingComma(bytes) { continue }
      #expect(
        Self.withoutIDs(ours) == Self.withoutIDs(reference),
        "\(String(decoding: bytes, as: UTF8.self))")
      compared += 1
    }
    #expect(compared > 3000)
  }

  /// RFC 8259 has no trailing commas; Foundation's parser tolerates them, the scanner does not
  /// (a refused body cannot smuggle a call past the policy).
  @Test(arguments: [
    #"{"method":"x",}"#, "[1,]", #"[{"method":"x"},]"#, #"{"method":"x","p":{"a":1,}}"#,
  ])
  func trailingCommasAreParseErrors(_ text: String) {
    #expect(JSONRPCPeek.peek(Array(text.utf8)) == .parseError)
  }

  @Test func escapedNamesAreReadAsTheServerReadsThem() {
    let body = Array(#"{"method":"tools\/call","params":{"\u006eame":"delete\u005fnote"}}"#.utf8)
    #expect(
      JSONRPCPeek.peek(body)
        == .calls([JSONRPCCall(method: "tools/call", toolName: "delete_note")]))
  }

  @Test(arguments: [
    #"{"method":"tools/list","method":"tools/call","params":{"name":"delete_note"}}"#,
    #"{"method":"tools/call","params":{"name":"list_notes"},"params":{"name":"delete_note"}}"#,
    #"{"method":"tools/call","params":{"name":"list_notes","name":"delete_note"}}"#,
    #"[{"method":"tools/list"},{"method":"tools/call","method":"tools/call"}]"#,
  ])
  func duplicateSensitiveNamesAreInvalid(_ text: String) {
    #expect(JSONRPCPeek.peek(Array(text.utf8)) == .invalidRequest)
  }

  @Test func invalidUTF8LoneSurrogatesAndControlCharactersAreParseErrors() {
    #expect(JSONRPCPeek.peek([0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]) == .parseError)
    #expect(JSONRPCPeek.peek(Array(#"{"method":"\ud800"}"#.utf8)) == .parseError)
    #expect(JSONRPCPeek.peek(Array(#"{"method":"\udc00x"}"#.utf8)) == .parseError)
    #expect(JSONRPCPeek.peek(Array("{\"method\":\"a\nb\"}".utf8)) == .parseError)
  }

  @Test func nestingBeyondTheLimitIsAParseError() {
    let limit = JSONRPCScanner.maximumDepth
    let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
    #expect(JSONRPCPeek.peek(Array(#"{"method":"x","p":\#(deep)}"#.utf8)) == .parseError)
    let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect(
      JSONRPCPeek.peek(Array(#"{"method":"x","p":\#(fine)}"#.utf8))
        == .calls([JSONRPCCall(method: "x")]))
  }

  @Test func integerIDsAreKeptOtherNumbersDropped() {
    #expect(
      JSONRPCPeek.peek(Array(#"{"method":"m","id":9223372036854775807}"#.utf8))
        == .calls([JSONRPCCall(method: "m", id: .number(Int64.max))]))
    #expect(
      JSONRPCPeek.peek(Array(#"{"method":"m","id":1.5}"#.utf8))
        == .calls([JSONRPCCall(method: "m")]))
    #expect(
      JSONRPCPeek.peek(Array(#"{"method":"m","id":99999999999999999999999}"#.utf8))
        == .calls([JSONRPCCall(method: "m")]))
  }

  static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
    let compact = bytes.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    return zip(compact, compact.dropFirst()).contains { first, second in
      first == UInt8(ascii: ",") && (second == UInt8(ascii: "}") || second == UInt8(ascii: "]"))
    }
  }

  static func withoutIDs(_ result: JSONRPCPeek.Result) -> JSONRPCPeek.Result {
    guard case .calls(let calls) = result else { return result }
    return .calls(calls.map { JSONRPCCall(method: $0.method, toolName: $0.toolName) })
  }

  /// A mutation can turn a member name into a duplicate `method`/`params`/`name`, where the
  /// scanner is stricter by design; those are covered by `duplicateSensitiveNamesAreInvalid`.
  static func duplicatesSensitiveNames(_ bytes: [UInt8]) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    return ["\"method\"", "\"params\"", "\"name\""].contains {
      text.components(separatedBy: $0).count > 2
    }
  }
}
