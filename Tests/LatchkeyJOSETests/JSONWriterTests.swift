import Foundation
import LatchkeyJOSE
import Testing

/// `JSONWriter` escapes per RFC 8259 §7: what it writes parses back to the same strings, and
/// the escapes have their short forms.
@Suite struct JSONWriterTests {
  static let strings = [
    "", "plain", "say \"hi\"", "back\\slash", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}",
    "ünïcödé ✓ 🔑", "\"", "\\", "trailing\"", "\u{7F}/slash",
  ]

  @Test(arguments: strings)
  func stringsRoundTripThroughAJSONParser(value: String) throws {
    var writer = JSONWriter()
    writer.add("value", value)
    writer.add("list", [value, "x"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(writer.finish())) as? [String: Any])
    #expect(object["value"] as? String == value)
    #expect(object["list"] as? [String] == [value, "x"])
  }

  @Test func escapesHaveTheirShortFormsAndSlashesStayRaw() {
    var writer = JSONWriter()
    writer.add("k", "a\"b\\c\nd\re\tf\u{1}g/h")
    #expect(
      String(decoding: writer.finish(), as: UTF8.self)
        == #"{"k":"a\"b\\c\nd\re\tf\u0001g/h"}"#)
  }
}
