/// The middleware's verdict on one request to the protected endpoint.
public enum AuthorizationDecision: Sendable, Equatable {
  /// Call the handler with this identity; `calls` are the peeked JSON-RPC messages (empty for
  /// GET and DELETE).
  case allowed(VerifiedIdentity, calls: [JSONRPCCall])
  /// Answer with this response; the handler never runs.
  case rejected(Rejection)
}
