/// Why an authorization request's PKCE parameters are refused.
public enum PKCEProblem: Sendable, Equatable {
  case missingChallenge
  case unsupportedMethod
  case malformedChallenge
}

/// PKCE (RFC 7636) as OAuth 2.1 and MCP require it: S256 only.
public enum PKCERule {
  /// OAuth 2.1 §4.1.1 and MCP "Authorization Code Protection": a `code_challenge` is required;
  /// the method must be `S256` (a missing method means `plain`, which Latchkey refuses);
  /// the challenge is the 43-character base64url of a SHA-256 (RFC 7636 §4.2).
  public static func validate(challenge: String?, method: String?) -> PKCEProblem? {
    guard let challenge, !challenge.isEmpty else { return .missingChallenge }
    guard method == "S256" else { return .unsupportedMethod }
    guard challenge.utf8.count == 43, challenge.utf8.allSatisfy(isBase64URLByte) else {
      return .malformedChallenge
    }
    return nil
  }

  /// RFC 7636 §4.1: `code-verifier = 43*128unreserved`.
  public static func isWellFormedVerifier(_ verifier: String) -> Bool {
    (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy(isUnreservedByte)
  }

  static func isBase64URLByte(_ byte: UInt8) -> Bool {
    (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
      || byte == 0x2D || byte == 0x5F
  }

  /// RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
  static func isUnreservedByte(_ byte: UInt8) -> Bool {
    isBase64URLByte(byte) || byte == 0x2E || byte == 0x7E
  }
}
