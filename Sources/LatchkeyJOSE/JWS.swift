/// JWS Compact Serialization signing and verification (RFC 7515) for ES256, EdDSA and RS256.
public enum JWS {
  /// Tokens longer than this (in bytes) are rejected before parsing.
  public static let maximumTokenLength = 16 * 1024

  /// RFC 7515 §5.1: signs `payload` under `header`, whose `alg` must be the key's algorithm.
  public static func sign(
    payload: some Collection<UInt8>, header: JOSEHeader, key: SigningKey
  ) throws -> String {
    guard header.alg == key.algorithm.rawValue else { throw JWSError.algorithmMismatch }
    return try compact(headerJSON: header.encoded(), payload: payload, key: key)
  }

  /// RFC 7515 §5.2 with RFC 8725 §3.1: the algorithm is pinned by the key the resolver returns,
  /// never taken from the token; "none" and mismatching `alg` values are rejected.
  public static func verify(
    _ token: String, keys: some VerificationKeyResolver
  ) throws(JWSError) -> (header: JOSEHeader, payload: [UInt8]) {
    let jws = try CompactJWS.parse(token)
    let header = try ProtectedHeader.decode(jws.header)
    try ProtectedHeader.checkNotNone(header)
    guard let key = keys.key(forKeyID: header.kid) else { throw .unknownKeyID }
    try checkAlgorithm(header, matches: key)
    let valid = jws.signingInput.withUnsafeBufferPointer {
      key.verifier.verify(jws.signature, $0)
    }
    guard valid else { throw .invalidSignature }
    return (header, jws.payload)
  }

  /// RFC 8725 §3.1: the header `alg` must equal the algorithm the key is bound to.
  static func checkAlgorithm(_ header: JOSEHeader, matches key: VerificationKey) throws(JWSError) {
    if header.alg != key.algorithm.rawValue { throw .algorithmMismatch }
  }

  /// RFC 7515 §5.1 steps 1–7 and §7.1: `BASE64URL(header).BASE64URL(payload).BASE64URL(sig)`.
  static func compact(
    headerJSON: [UInt8], payload: some Collection<UInt8>, key: SigningKey
  ) throws -> String {
    var output: [UInt8] = []
    output.reserveCapacity(
      Base64URL.encodedLength(headerJSON.count) + Base64URL.encodedLength(payload.count) + 360)
    Base64URL.append(headerJSON, to: &output)
    output.append(UInt8(ascii: "."))
    Base64URL.append(payload, to: &output)
    let signature = output.withUnsafeBufferPointer { key.signer.sign($0) }
    guard let signature else { throw JOSEKeyError.cryptoFailure }
    output.append(UInt8(ascii: "."))
    Base64URL.append(signature, to: &output)
    return String(decoding: output, as: UTF8.self)
  }
}
