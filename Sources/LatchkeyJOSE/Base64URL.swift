/// Base64url without padding (RFC 7515 §2, RFC 4648 §5).
public enum Base64URL {}
