import LatchkeyJOSE

/// Keys shared by the tests (RSA generation is slow, so each is made once).
enum Fixtures {
  static let es256 = try! SigningKey.generate(.es256)
  static let edDSA = try! SigningKey.generate(.edDSA)
  static let rs256 = try! SigningKey.generate(.rs256)

  static func key(_ algorithm: JWSAlgorithm) -> SigningKey {
    switch algorithm {
    case .es256: es256
    case .edDSA: edDSA
    case .rs256: rs256
    }
  }

  static func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var iterator = hex.filter { !$0.isWhitespace }.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
      result.append(UInt8(String([high, low]), radix: 16)!)
    }
    return result
  }

  /// Base64url of a JSON text, for hand-built headers.
  static func segment(_ json: String) -> String {
    Base64URL.encode(json)
  }
}
