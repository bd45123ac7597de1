import LatchkeyCore
import Testing

@Suite("JSON duplicate members (RFC 8259 §4)")
struct JSONDuplicateMemberRuleTests {
  @Test(arguments: [
    (#"{"a":1,"a":2}"#, "a"),
    (#"{"a":1,"b":{"c":1,"c":2}}"#, "c"),
    (#"[{"x":1},{"y":[{"z":1,"z":1}]}]"#, "z"),
    (#"{"scope":"a","sc\u006fpe":"b"}"#, "scope"),
    (#"{ "a" : 1 , "a" : 2 }"#, "a"),
    (#"{"\ud83d\ude00":1,"😀":2}"#, "😀"),
    (#"{"":1,"":2}"#, ""),
  ])
  func aRepeatedNameIsFound(json: String, name: String) {
    #expect(JSONDuplicateMemberRule.firstDuplicate(in: Array(json.utf8)) == name)
  }

  @Test(arguments: [
    #"{"a":1,"b":2}"#, #"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#, "[]", "{}", "42", #""x""#,
    #"{"a":"\"a\"","b":"a"}"#, "not json", #"{"a":1,"b""#,
    String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
  ])
  func noRepeatedNameIsNil(json: String) {
    #expect(JSONDuplicateMemberRule.firstDuplicate(in: Array(json.utf8)) == nil)
  }
}
