/// Turns a bearer token into a verified identity (RFC 9068 JWTs offline; RFC 7662
/// introspection is a future conformance).
public protocol AccessTokenVerifier: Sendable {
  func verify(_ token: String) async throws(TokenRejection) -> VerifiedIdentity
}
