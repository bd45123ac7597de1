/// The parts of a `$scrypt$ln=…,r=…,p=…$salt$hash` string.
struct StoredHash {
  let parameters: ScryptParameters
  let salt: [UInt8]
  let hash: [UInt8]

  init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
    self.parameters = parameters
    self.salt = salt
    self.hash = hash
  }

  /// Strict parse: exact field order, decimal numbers without signs or leading zeros,
  /// parameters within limits, strict base64url salt (≥ 16 bytes) and 32-byte hash.
  init?(_ encoded: String) {
    let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
    guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
    let settings = fields[2].split(separator: ",", omittingEmptySubsequences: false)
    guard settings.count == 3,
      let logN = Self.number(settings[0], named: "ln"),
      let r = Self.number(settings[1], named: "r"),
      let p = Self.number(settings[2], named: "p"),
      let salt = Base64URL.decode(String(fields[3])), salt.count >= 16,
      let hash = Base64URL.decode(String(fields[4])), hash.count == 32
    else { return nil }
    let parameters = ScryptParameters(logN: logN, r: r, p: p)
    guard parameters.isWithinLimits else { return nil }
    self.init(parameters: parameters, salt: salt, hash: hash)
  }

  var encoded: String {
    "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$"
      + "\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
  }

  private static func number(_ field: Substring, named name: String) -> Int? {
    let prefix = name + "="
    guard field.hasPrefix(prefix) else { return nil }
    let digits = field.dropFirst(prefix.count)
    guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      digits.first != "0"
    else { return nil }
    return Int(digits)
  }
}
