/// Proof Key for Code Exchange (RFC 7636).
public enum PKCE {
  /// RFC 7636 §4.2: `code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
  public static func s256Challenge(verifier: String) -> String {
    Base64URL.encode(Digest.sha256(verifier))
  }
}
