/// RFC 6890 special-use address ranges, for the SSRF guard of outbound fetches.
public enum SpecialUseAddressRule {
  /// Whether an IPv4 or IPv6 literal is loopback, private, link-local, shared, documentation,
  /// multicast, reserved or otherwise not a public unicast address (RFC 6890, RFC 6598,
  /// RFC 4193, RFC 4291). Client ID metadata documents must not be fetched from such addresses
  /// (draft-ietf-oauth-client-id-metadata-document §SSRF). Unparseable input counts as special.
  public static func isSpecialUse(_ address: String) -> Bool {
    if let v4 = parseIPv4(address) { return isSpecialUseIPv4(v4) }
    if let v6 = parseIPv6(address) { return isSpecialUseIPv6(v6) }
    return true
  }

  static func isSpecialUseIPv4(_ a: [UInt8]) -> Bool {
    switch (a[0], a[1]) {
    case (0, _), (10, _), (127, _): return true
    case (100, 64...127): return true  // shared address space (RFC 6598)
    case (169, 254): return true  // link-local
    case (172, 16...31): return true
    case (192, 168): return true
    case (192, 0) where a[2] == 0 || a[2] == 2: return true  // IETF protocol, TEST-NET-1
    case (198, 18...19): return true  // benchmarking
    case (198, 51) where a[2] == 100: return true  // TEST-NET-2
    case (203, 0) where a[2] == 113: return true  // TEST-NET-3
    case (224...255, _): return true  // multicast, reserved, broadcast
    default: return false
    }
  }

  static func isSpecialUseIPv6(_ a: [UInt8]) -> Bool {
    if a.allSatisfy({ $0 == 0 }) { return true }  // unspecified
    if a[0..<15].allSatisfy({ $0 == 0 }) && a[15] == 1 { return true }  // loopback
    if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xFF && a[11] == 0xFF {
      return isSpecialUseIPv4(Array(a[12..<16]))  // IPv4-mapped
    }
    if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B { return true }  // NAT64
    if a[0] & 0xFE == 0xFC { return true }  // unique local fc00::/7
    if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return true }  // link-local fe80::/10
    if a[0] == 0xFF { return true }  // multicast
    if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return true }  // docs
    if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x00 && a[3] == 0x00 { return true }  // Teredo
    if a[0] == 0x20 && a[1] == 0x02 { return true }  // 6to4
    return false
  }

  static func parseIPv4(_ text: String) -> [UInt8]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var bytes: [UInt8] = []
    for part in parts {
      guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part),
        part == "0" || !part.hasPrefix("0")
      else { return nil }
      bytes.append(value)
    }
    return bytes
  }

  static func parseIPv6(_ raw: String) -> [UInt8]? {
    var text = raw
    if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
    if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
    guard text.contains(":") else { return nil }
    var tail: [UInt8] = []
    var groupsText = text
    if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".")
    {
      guard let v4 = parseIPv4(String(text[text.index(after: lastColon)...])) else { return nil }
      tail = v4
      groupsText = String(text[...lastColon]) + "0:0"
    }
    let halves = groupsText.components(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    func groups(_ s: String) -> [UInt16]? {
      if s.isEmpty { return [] }
      var result: [UInt16] = []
      for piece in s.split(separator: ":", omittingEmptySubsequences: false) {
        guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else {
          return nil
        }
        result.append(value)
      }
      return result
    }
    guard let head = groups(halves[0]) else { return nil }
    var all = head
    if halves.count == 2 {
      guard let back = groups(halves[1]), head.count + back.count < 8 else { return nil }
      all += Array(repeating: 0, count: 8 - head.count - back.count) + back
    }
    guard all.count == 8 else { return nil }
    var bytes = all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    if !tail.isEmpty { bytes.replaceSubrange(12..<16, with: tail) }
    return bytes
  }
}
