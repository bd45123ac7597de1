/// Everything the authorization server persists. Each concern is its own protocol; a backend
/// (in-memory for rule tests, SQLite, later PostgreSQL) implements them all and passes the one
/// store conformance suite.
public protocol LatchkeyStore: ClientStore, UserStore, ResourceStore, AuthorizationCodeStore,
  RefreshTokenStore, GrantStore, ConsentStore, SigningKeyStore, AuditLog, APIKeyStore,
  UserIdentityStore, UpstreamTokenStore
{}
