import Testing

@testable import LatchkeyJOSE

@Suite("AES-256-GCM (the token vault's seal)")
struct AES256GCMTests {
  let zeroKey = [UInt8](repeating: 0, count: 32)
  let zeroNonce = [UInt8](repeating: 0, count: 12)

  @Test("The GCM specification's test cases 13 and 14 (256-bit key, 96-bit IV)")
  func knownAnswers() throws {
    // McGrew & Viega, "The Galois/Counter Mode of Operation", appendix B.
    let empty = try AES256GCM.seal([], key: zeroKey, nonce: zeroNonce, associatedData: [])
    #expect(empty == zeroNonce + Fixtures.bytes("530f8afbc74536b9a963b4f1c4cb738b"))
    let block = try AES256GCM.seal(
      [UInt8](repeating: 0, count: 16), key: zeroKey, nonce: zeroNonce, associatedData: [])
    #expect(
      block
        == zeroNonce
        + Fixtures.bytes(
          "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"))
    #expect(
      try AES256GCM.open(block, key: zeroKey, associatedData: [])
        == [UInt8](repeating: 0, count: 16))
  }

  @Test("A box opens with its key and associated data only; any changed byte is refused")
  func authenticity() throws {
    let key = SecureRandom.bytes(32)
    let message = Array(#"{"access_token":"gho_secret","refresh_token":"ghr_secret"}"#.utf8)
    let aad = Array("row-1\u{0}user-1\u{0}github".utf8)
    let box = try AES256GCM.seal(message, key: key, associatedData: aad)
    #expect(box.count == 12 + message.count + 16)
    #expect(!box.windows(ofCount: 10).contains(Array("gho_secret".utf8)[...]))
    #expect(try AES256GCM.open(box, key: key, associatedData: aad) == message)
    #expect(try AES256GCM.seal(message, key: key, associatedData: aad) != box, "fresh nonce")
    #expect(throws: AES256GCM.Failure.notAuthentic) {
      try AES256GCM.open(box, key: SecureRandom.bytes(32), associatedData: aad)
    }
    #expect(throws: AES256GCM.Failure.notAuthentic) {
      try AES256GCM.open(box, key: key, associatedData: Array("row-2\u{0}user-1\u{0}github".utf8))
    }
    for index in [0, 11, 12, box.count / 2, box.count - 1] {
      var tampered = box
      tampered[index] ^= 0x01
      #expect(throws: AES256GCM.Failure.notAuthentic) {
        try AES256GCM.open(tampered, key: key, associatedData: aad)
      }
    }
    #expect(throws: AES256GCM.Failure.notAuthentic) {
      try AES256GCM.open(Array(box.prefix(27)), key: key, associatedData: aad)
    }
    #expect(throws: AES256GCM.Failure.invalidKey) {
      try AES256GCM.seal(message, key: Array(key.prefix(16)), associatedData: aad)
    }
  }
}

extension Array where Element == UInt8 {
  fileprivate func windows(ofCount count: Int) -> [ArraySlice<UInt8>] {
    guard self.count >= count else { return [] }
    return (0...(self.count - count)).map { self[$0..<($0 + count)] }
  }
}
