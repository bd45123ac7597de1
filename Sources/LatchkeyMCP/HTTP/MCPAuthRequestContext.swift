public import Hummingbird

/// A Hummingbird request context that can carry the identity `MCPAuthMiddleware` verified.
/// Conform your own context to it, or use `MCPAuthContext`.
public protocol MCPAuthRequestContext: RequestContext {
  /// Set by `MCPAuthMiddleware` before the protected endpoint's responder runs; nil elsewhere.
  var identity: VerifiedIdentity? { get set }
}
