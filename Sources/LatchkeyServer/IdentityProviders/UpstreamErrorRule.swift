import LatchkeyCore

/// What the MCP client hears when the provider answers the authorization request with an
/// error (OpenID Connect Core §3.1.2.6; OAuth 2.1 §4.1.2.1).
enum UpstreamErrorRule {
  /// `server_error` and `temporarily_unavailable` from the provider: trying again may work, so
  /// `temporarily_unavailable`. Everything else (`access_denied`, `login_required`,
  /// `interaction_required`, `consent_required`, `account_selection_required`, unknown codes):
  /// the user was not signed in, so `access_denied`. The provider's description is not
  /// forwarded.
  static func answer(to upstreamError: String) -> OAuthError {
    switch upstreamError {
    case "server_error", "temporarily_unavailable":
      OAuthError(
        .temporarilyUnavailable, "The sign-in provider is unavailable; try again later.")
    default:
      OAuthError(.accessDenied, "The user was not signed in by the identity provider.")
    }
  }

  /// The error code as it may appear in the audit trail: the RFC 6749 §4.1.2.1 character set
  /// (%x20-21 / %x23-5B / %x5D-7E) without spaces, at most 40 characters.
  static func printable(_ code: String) -> String {
    let kept = code.unicodeScalars.filter { scalar in
      (0x21...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\"
    }
    return kept.isEmpty ? "an error" : String(String.UnicodeScalarView(kept.prefix(40)))
  }
}
