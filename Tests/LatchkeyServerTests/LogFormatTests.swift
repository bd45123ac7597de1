import Foundation
import Logging
import Synchronization
import Testing

@testable import LatchkeyServer

/// The log handlers write swift-log's console format and JSON lines without per-line
/// formatters; these pin the forms.
@Suite struct LogFormatTests {
  final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
  }

  @Test func textLinesHaveTheConsoleFormatWithSortedMetadataInUTC() throws {
    let lines = Lines()
    var logger = Logger(label: "latchkey") { TextLogHandler(label: $0, write: lines.append) }
    logger[metadataKey: "zeta"] = "handler"
    logger[metadataKey: "alpha"] = "handler"
    logger.info("request", metadata: ["alpha": "event", "mid": "x y"])
    logger.debug("hidden")
    let line = try #require(lines.all.first)
    #expect(lines.all.count == 1)
    #expect(
      line.wholeMatch(
        of:
          #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000 info latchkey: alpha=event mid=x y zeta=handler \[LatchkeyServerTests\] request/#
      ) != nil)
  }

  @Test(arguments: [
    (0, "1970-01-01T00:00:00"), (1_800_000_000, "2027-01-15T08:00:00"),
    (951_782_400, "2000-02-29T00:00:00"), (1_764_892_799, "2025-12-04T23:59:59"),
  ])
  func timestampPrefixIsUTC(second: Int, expected: String) {
    #expect(LogTimestamp.prefix(second: second) == expected)
    // A second asked twice comes from the cache with the same answer.
    #expect(LogTimestamp.prefix(second: second) == expected)
  }

  @Test func rfc3339TimestampsParseAndAreNow() throws {
    let stamp = LogTimestamp.rfc3339()
    #expect(stamp.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/#) != nil)
    let parsed = try #require(
      try? Date(
        stamp, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
    #expect(abs(parsed.timeIntervalSinceNow) < 5)
  }

  @Test func jsonLinesAreObjectsWithSortedKeysAndFixedFieldsWinning() throws {
    let lines = Lines()
    var logger = Logger(label: "latchkey") { JSONLogHandler(label: $0, write: lines.append) }
    logger[metadataKey: "request_id"] = "r0"
    logger[metadataKey: "b"] = "handler"
    logger.info("say \"hi\"\n", metadata: ["level": "spoofed", "path": "/a/b", "b": "2"])
    let line = try #require(lines.all.first)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
    #expect(object["message"] == "say \"hi\"\n")
    #expect(object["level"] == "info")
    #expect(object["label"] == "latchkey")
    #expect(object["request_id"] == "r0")
    #expect(object["b"] == "2")
    #expect(line.components(separatedBy: #""b":"#).count == 2)
    #expect(object["path"] == "/a/b")
    #expect(line.contains(#""path":"/a/b""#))
    // Each key once: the fixed `level` replaced the event's, it was not written twice.
    #expect(line.components(separatedBy: #""level":"#).count == 2)
    let keys = object.keys.sorted()
    let positions = keys.map { line.range(of: "\"\($0)\":")!.lowerBound }
    #expect(positions == positions.sorted())
  }

  @Test(arguments: [
    Duration.zero, .microseconds(4), .microseconds(5), .microseconds(800), .microseconds(1_235),
    .milliseconds(12), .microseconds(99_996), .seconds(3) + .microseconds(10_001),
  ])
  func requestDurationHasTheDoubleForm(elapsed: Duration) {
    let milliseconds =
      Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    #expect(
      RequestLogMiddleware<LatchkeyRequestContext>.milliseconds(elapsed)
        == "\((milliseconds * 100).rounded() / 100)")
  }
}
