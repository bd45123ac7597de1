import LatchkeyJOSE
import Testing

@Suite("Base64URL (RFC 4648 §5, RFC 7515 §2)")
struct Base64URLTests {
  @Test(
    "RFC 4648 §10 vectors without padding",
    arguments: [
      ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
      ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
  func vectors(plain: String, encoded: String) {
    #expect(Base64URL.encode(plain) == encoded)
    #expect(Base64URL.decode(encoded) == Array(plain.utf8))
  }

  @Test("uses - and _ instead of + and /")
  func urlSafeAlphabet() {
    #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
    #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
  }

  @Test("round trips every length up to 64", arguments: 0...64)
  func roundTrip(length: Int) {
    let bytes = SecureRandom.bytes(length)
    let encoded = Base64URL.encode(bytes)
    #expect(!encoded.contains("="))
    #expect(Base64URL.decode(encoded) == bytes)
  }

  @Test(
    "rejects padding, foreign characters, whitespace and impossible lengths",
    arguments: [
      "Zg==", "Zm8=", "Zm+v", "Zm/v", "Zm9 v", "Zm9v\n", " Zm9v", "Zm9v\t", "Z", "Zm9vY",
      "Zm9v\0", "Zm9v.", "Zé9v",
    ])
  func rejects(input: String) {
    #expect(Base64URL.decode(input) == nil)
  }

  @Test("rejects non-zero unused trailing bits", arguments: ["Zh", "Zm9"])
  func nonCanonical(input: String) {
    #expect(Base64URL.decode(input) == nil)
  }
}
