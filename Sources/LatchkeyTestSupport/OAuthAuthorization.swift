/// The front channel's result: the authorization response parameters from the `Location` of
/// the redirect back to the client, the PKCE verifier to redeem them with, and the consent
/// pages the user saw on the way (empty when consent was skipped).
public struct OAuthAuthorization: Sendable {
  public var code: String
  public var state: String?
  public var iss: String?
  public var codeVerifier: String
  public var resource: String
  public var consentPages: [String]
}
