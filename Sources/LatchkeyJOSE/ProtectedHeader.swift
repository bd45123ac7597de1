import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Decoding of the JWS Protected Header (RFC 7515 §4, §5.2 steps 3–5).
enum ProtectedHeader {
  /// The last successfully decoded header, by its exact bytes. Tokens from one issuer key share
  /// the same header, so this skips `JSONDecoder` on most verifications.
  private static let lastDecoded = Mutex<(bytes: [UInt8], header: JOSEHeader)?>(nil)

  /// RFC 7515 §5.2 step 4–5 and §4.1.11: the header must be a JSON object with a string `alg`
  /// (and string `typ`/`kid` when present). `crit` is rejected: no extensions are understood.
  static func decode(_ bytes: [UInt8]) throws(JWSError) -> JOSEHeader {
    let cached = lastDecoded.withLock { entry -> JOSEHeader? in
      guard let entry, entry.bytes == bytes else { return nil }
      return entry.header
    }
    if let cached { return cached }
    let header: JOSEHeader
    do {
      header = try JSONDecoder().decode(StrictHeader.self, from: Data(bytes)).header
    } catch {
      throw .invalidHeader
    }
    lastDecoded.withLock { $0 = (bytes, header) }
    return header
  }

  /// RFC 8725 §3.1 / RFC 7518 §3.6: "none" (in any letter case) is never accepted.
  static func checkNotNone(_ header: JOSEHeader) throws(JWSError) {
    if header.alg.lowercased() == "none" { throw .algorithmNone }
  }
}

private struct StrictHeader: Decodable {
  let header: JOSEHeader

  private enum CodingKeys: String, CodingKey {
    case alg, typ, kid, crit
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if container.contains(.crit) {
      throw DecodingError.dataCorruptedError(
        forKey: .crit, in: container, debugDescription: "crit is not supported")
    }
    header = JOSEHeader(
      alg: try container.decode(String.self, forKey: .alg),
      typ: try container.decodeIfPresent(String.self, forKey: .typ),
      kid: try container.decodeIfPresent(String.self, forKey: .kid))
  }
}
