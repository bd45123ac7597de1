import Testing

@testable import LatchkeyServer

/// Request ids drawn for requests without `X-Request-Id`: unique, URL-safe, one shape.
@Suite struct GeneratedRequestIDTests {
  @Test func idsAreSixteenBase64URLCharactersAndNeverRepeat() {
    let ids = (0..<10_000).map { _ in GeneratedRequestID.next() }
    #expect(Set(ids).count == ids.count)
    #expect(ids.allSatisfy { $0.wholeMatch(of: #/[A-Za-z0-9_-]{16}/#) != nil })
    // One process prefix: the first 5 characters (30 of its 32 bits) are shared.
    #expect(Set(ids.map { $0.prefix(5) }).count == 1)
  }
}
