import Testing

@testable import LatchkeyJOSE

@Suite("Digests, PKCE, constant time, randomness")
struct DigestTests {
  @Test("SHA-256 of \"abc\" (FIPS 180-4 example)")
  func sha256() {
    let expected = Fixtures.bytes(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(Digest.sha256("abc") == expected)
    #expect(Digest.sha256(Array("abc".utf8)) == expected)
    #expect(Digest.sha256(Array("abc".utf8)[...]) == expected)
  }

  /// The other FIPS 180-4 examples (the empty message and the 448-bit two-block one), and the
  /// same digest from many threads at once (the method is fetched once and shared).
  @Test func sha256EmptyTwoBlockAndConcurrent() async {
    #expect(
      Digest.sha256("")
        == Fixtures.bytes("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    let expected = Fixtures.bytes(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let results = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<64 { group.addTask { Digest.sha256(message) == expected } }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 64 && results.allSatisfy { $0 })
  }

  /// RFC 4231 test cases 6 and 7: a key longer than the 64-byte block is hashed first; a
  /// message longer than a block; and an empty message under a 64-byte key (no RFC vector:
  /// `openssl dgst -sha256 -mac HMAC`).
  @Test("HMAC-SHA-256, RFC 4231 test cases 6 and 7, and a 64-byte key")
  func hmacLongKeys() {
    let key = [UInt8](repeating: 0xAA, count: 131)
    #expect(
      Digest.hmacSHA256(
        key: key, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        == Fixtures.bytes("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    let case7 =
      "This is a test using a larger than block-size key and a larger than block-size data."
      + " The key needs to be hashed before being used by the HMAC algorithm."
    #expect(
      Digest.hmacSHA256(key: key, message: Array(case7.utf8))
        == Fixtures.bytes("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"))
    // A key of exactly one block is used as it is (openssl dgst -sha256 -mac HMAC).
    #expect(
      Digest.hmacSHA256(key: [UInt8](repeating: 0x61, count: 64), message: [UInt8]())
        == Fixtures.bytes("b389ef8fc24e40e35b42b70221b466916836a241257699d090bc736b8ad21b98"))
  }

  @Test("HMAC-SHA-256, RFC 4231 test cases 1 and 2")
  func hmac() {
    let case1 = Digest.hmacSHA256(
      key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
    #expect(
      case1
        == Fixtures.bytes("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
    let case2 = Digest.hmacSHA256(
      key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
    #expect(
      case2
        == Fixtures.bytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
  }

  /// The challenge printed in RFC 7636 Appendix B (also what `openssl dgst -sha256 -binary |
  /// basenc --base64url` gives for the verifier).
  @Test("PKCE S256, RFC 7636 Appendix B")
  func pkce() {
    #expect(
      PKCE.s256Challenge(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
  }

  @Test("constant-time equality")
  func constantTime() {
    #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
    #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
    #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
    #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    #expect(ConstantTime.equals("token", "token"))
    #expect(!ConstantTime.equals("token", "tokem"))
    #expect(!ConstantTime.equals("token", "token2"))
  }

  /// Served from the reserve: every size up to the largest it serves, across block refills,
  /// from many tasks at once, never hands out the same bytes twice; larger requests bypass it.
  @Test func randomBytesAreNeverHandedOutTwice() async {
    var seen = Set<[UInt8]>()
    for round in 0..<2_000 {
      let bytes = SecureRandom.bytes(16 + round % 241)
      #expect(bytes.count == 16 + round % 241)
      seen.insert(Array(bytes.prefix(16)))
    }
    #expect(seen.count == 2_000)
    let tokens = await withTaskGroup(of: [String].self) { group in
      for _ in 0..<32 {
        group.addTask { (0..<200).map { _ in SecureRandom.token() } }
      }
      return await group.reduce(into: [String]()) { $0 += $1 }
    }
    #expect(Set(tokens).count == 32 * 200)
    let large = SecureRandom.bytes(RandomReserve.largestServed + 1)
    #expect(large.count == RandomReserve.largestServed + 1)
    #expect(Set(large).count > 64)
  }

  @Test("random bytes and tokens")
  func random() {
    #expect(SecureRandom.bytes(0).isEmpty)
    #expect(SecureRandom.bytes(32).count == 32)
    #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    let token = SecureRandom.token()
    #expect(token.count == 43)
    #expect(Base64URL.decode(token)?.count == 32)
    #expect(SecureRandom.token(byteCount: 16).count == 22)
  }
}
