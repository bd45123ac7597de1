import LatchkeyJOSE
import Testing

@Suite("scrypt (RFC 7914) and password hashing")
struct ScryptTests {
  @Test("RFC 7914 §12: empty password and salt, N=16, r=1, p=1")
  func emptyVector() {
    let derived = Scrypt.derive(password: [], salt: [], n: 16, r: 1, p: 1, length: 64)
    #expect(
      derived
        == Fixtures.bytes(
          "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"))
  }

  @Test("RFC 7914 §12: \"password\" / \"NaCl\", N=1024, r=8, p=16")
  func passwordVector() {
    let derived = Scrypt.derive(
      password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16,
      length: 64)
    #expect(
      derived
        == Fixtures.bytes(
          "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"))
  }

  let hasher = ScryptPasswordHasher(parameters: .testing)

  @Test("hash then verify; wrong password fails")
  func hashAndVerify() throws {
    let encoded = try hasher.hash("correct horse battery staple")
    #expect(encoded.hasPrefix("$scrypt$ln=4,r=8,p=1$"))
    #expect(hasher.verify("correct horse battery staple", against: encoded))
    #expect(!hasher.verify("correct horse battery stapler", against: encoded))
    #expect(!hasher.verify("", against: encoded))
  }

  /// Guards the OpenSSL default 32 MiB `maxmem` cap, which silently fails N = 2^15, r = 8.
  @Test("interactive parameters hash and verify (one ~100 ms hash)")
  func interactive() throws {
    let strong = ScryptPasswordHasher()
    let encoded = try strong.hash("pw")
    #expect(encoded.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
    #expect(strong.verify("pw", against: encoded))
    #expect(!strong.needsRehash(encoded))
  }

  @Test("salts differ between hashes of the same password")
  func salted() throws {
    #expect(try hasher.hash("same") != hasher.hash("same"))
  }

  @Test("parameters stored in the string are used for verification")
  func parametersHonoured() throws {
    let encoded = try hasher.hash("pw")
    #expect(ScryptPasswordHasher(parameters: .interactive).verify("pw", against: encoded))
  }

  @Test("needsRehash when stored parameters are weaker or the string is malformed")
  func needsRehash() throws {
    let weak = try hasher.hash("pw")
    #expect(ScryptPasswordHasher(parameters: .interactive).needsRehash(weak))
    #expect(!hasher.needsRehash(weak))
    #expect(
      ScryptPasswordHasher(parameters: ScryptParameters(logN: 4, r: 8, p: 2)).needsRehash(weak))
    #expect(hasher.needsRehash("garbage"))
  }

  @Test(
    "malformed strings never verify",
    arguments: [
      "", "$scrypt$", "scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
      "$argon2id$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=04,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=99,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=0,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=4,r=-8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$r=8,ln=4,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=4,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
      "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$",
    ])
  func malformed(encoded: String) {
    #expect(!hasher.verify("pw", against: encoded))
    #expect(hasher.needsRehash(encoded))
  }
}
