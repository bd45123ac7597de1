import LatchkeyCore
import Testing

@testable import LatchkeyServer

/// `application/x-www-form-urlencoded` parsing (OAuth 2.1 §3.2, RFC 6749 Appendix A): the
/// rules every POST endpoint relies on, checked on the parser itself.
@Suite("Form body parsing")
struct FormBodyTests {
  static func parse(_ body: String) -> FormBody? { FormBody.parse(Array(body.utf8)) }

  @Test func decodesPlusAndPercentEscapes() throws {
    let form = try #require(Self.parse("a=b+c&d=%7E%2Fx&e=caf%C3%A9&f=plain"))
    #expect(form["a"] == "b c")
    #expect(form["d"] == "~/x")
    #expect(form["e"] == "café")
    #expect(form["f"] == "plain")
  }

  @Test func emptyValuesAndEmptyPairsAreOmitted() throws {
    let form = try #require(Self.parse("&a=&b&&c=1&"))
    #expect(form.values == ["c": "1"])
  }

  @Test func aNameMayBeEmptyAndOnlyTheFirstEqualsSplits() throws {
    let form = try #require(Self.parse("=x&k=a=b"))
    #expect(form[""] == "x")
    #expect(form["k"] == "a=b")
  }

  @Test func resourceRepeatsAndOtherParametersAreDuplicates() throws {
    let form = try #require(Self.parse("resource=r1&a=1&resource=r2&a=2&b=3&b=4"))
    #expect(form.resources == ["r1", "r2"])
    #expect(form["a"] == "1")
    #expect(form.duplicated == "a")
    #expect(form.duplicationError?.code == .invalidRequest)
  }

  @Test(arguments: ["a=%", "a=%4", "a=%G1", "a=%4g", "%zz=1", "a=%FF", "a=%C3", "a=%C3%28"])
  func malformedEncodingOrUTF8RefusesTheWholeBody(body: String) {
    #expect(Self.parse(body) == nil)
  }

  @Test func rawBytesThatAreNotUTF8AreRefused() {
    #expect(FormBody.parse([UInt8(ascii: "a"), UInt8(ascii: "="), 0xFF]) == nil)
  }

  @Test(arguments: [
    ("code=a%00b", "code"), ("client_id=x%0A", "client_id"), ("a%01=1", "a\u{01}"),
    ("scope=read%7F", "scope"), ("state=a\u{09}b", "state"),
  ])
  func theFirstControlCharacterParameterIsKept(body: String, parameter: String) throws {
    let form = try #require(Self.parse(body))
    #expect(form.controlCharacterParameter == parameter)
    #expect(form.controlCharacterError != nil)
  }

  @Test func aPasswordMayHoldControlCharacters() throws {
    let form = try #require(Self.parse("password=p%00w%0A&username=u"))
    #expect(form.controlCharacterParameter == nil)
    #expect(form["password"] == "p\u{0}w\n")
  }

  @Test func credentialsWithControlCharactersAreInvalidClient() throws {
    let form = try #require(Self.parse("client_secret=s%00"))
    #expect(form.controlCharacterError?.code == .invalidClient)
  }

  @Test func percentDecodeAlone() {
    #expect(FormBody.percentDecode(Array("a%20b+c".utf8)) == "a b c")
    #expect(FormBody.percentDecode(Array("%".utf8)) == nil)
    #expect(FormBody.percentDecode(Array("".utf8)) == "")
  }
}
