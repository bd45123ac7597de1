public import Foundation

/// How a client came to be known.
public enum ClientOrigin: String, Sendable, Codable, CaseIterable {
  /// Added by an operator (`latchkey client add`).
  case preregistered
  /// RFC 7591 dynamic client registration.
  case dynamic
  /// A client ID metadata document fetched from an https `client_id`.
  case metadataDocument = "metadata_document"
}

/// RFC 7591 §2 `token_endpoint_auth_method` values Latchkey accepts.
public enum TokenEndpointAuthMethod: String, Sendable, Codable, CaseIterable {
  /// A public client: no secret (native apps, MCP clients).
  case none
  /// A secret in the HTTP Basic `Authorization` header.
  case clientSecretBasic = "client_secret_basic"
  /// A secret in the form body.
  case clientSecretPost = "client_secret_post"
  /// A JWT signed with the client's private key (RFC 7523 §2.2, OpenID Connect Core §9); the
  /// server holds only the public keys (`Client.jwks` or `Client.jwksURI`).
  case privateKeyJWT = "private_key_jwt"

  /// Whether the client authenticates (a secret or a key): a confidential client.
  public var isConfidential: Bool { self != .none }
  /// Whether the method is a shared secret (`client_secret_basic`, `client_secret_post`).
  public var usesSecret: Bool { self == .clientSecretBasic || self == .clientSecretPost }
}

/// OpenID Connect Registration §2 `application_type`.
public enum ApplicationType: String, Sendable, Codable, CaseIterable {
  /// Desktop or mobile app: loopback and custom-scheme redirects allowed.
  case native
  /// Web application: https redirects.
  case web
}

/// A registered OAuth client. The secret is never stored, only `secretHash`.
public struct Client: Sendable, Equatable, Codable {
  /// `client_id`.
  public var id: String
  /// `client_name`, shown on the consent page.
  public var name: String
  /// How the client was registered.
  public var origin: ClientOrigin
  /// Registered redirect URIs, compared exactly (loopback ports excepted).
  public var redirectURIs: [String]
  /// Grant types the client may use.
  public var grantTypes: [GrantType]
  /// How the client authenticates at the token endpoint.
  public var tokenEndpointAuthMethod: TokenEndpointAuthMethod
  /// `native` or `web`.
  public var applicationType: ApplicationType
  /// Scopes this client may request; empty means "whatever the resource offers".
  public var allowedScopes: ScopeSet
  /// SHA-256 (hex) of the client secret for confidential clients.
  public var secretHash: String?
  /// RFC 7591 `software_id`.
  public var softwareID: String?
  /// RFC 7591 `software_version`.
  public var softwareVersion: String?
  /// Hash of the normalized registration metadata, so identical registrations are idempotent.
  public var metadataFingerprint: String?
  /// `client_uri`, shown on the consent page.
  public var clientURI: String?
  /// `logo_uri`.
  public var logoURI: String?
  /// The public JWKS (JSON) of a `private_key_jwt` client, given inline.
  public var jwks: String?
  /// Where a `private_key_jwt` client publishes its public JWKS (fetched, cached).
  public var jwksURI: String?
  /// SHA-256 (hex) of the secret before the last rotation, accepted until
  /// `previousSecretExpiresAt` (`client rotate-secret --keep-old`).
  public var previousSecretHash: String?
  /// The end of the previous secret's overlap.
  public var previousSecretExpiresAt: Date?
  /// When the client was registered.
  public var createdAt: Date
  /// Last token-endpoint use, recorded at most hourly (for idle expiry).
  public var lastUsedAt: Date?

  /// Creates a client record; the secret, if any, must already be hashed.
  public init(
    id: String, name: String, origin: ClientOrigin, redirectURIs: [String],
    grantTypes: [GrantType] = [.authorizationCode, .refreshToken],
    tokenEndpointAuthMethod: TokenEndpointAuthMethod = .none,
    applicationType: ApplicationType = .native, allowedScopes: ScopeSet = .empty,
    secretHash: String? = nil, softwareID: String? = nil, softwareVersion: String? = nil,
    metadataFingerprint: String? = nil, clientURI: String? = nil, logoURI: String? = nil,
    jwks: String? = nil, jwksURI: String? = nil, previousSecretHash: String? = nil,
    previousSecretExpiresAt: Date? = nil, createdAt: Date, lastUsedAt: Date? = nil
  ) {
    self.id = id
    self.name = name
    self.origin = origin
    self.redirectURIs = redirectURIs
    self.grantTypes = grantTypes
    self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
    self.applicationType = applicationType
    self.allowedScopes = allowedScopes
    self.secretHash = secretHash
    self.softwareID = softwareID
    self.softwareVersion = softwareVersion
    self.metadataFingerprint = metadataFingerprint
    self.clientURI = clientURI
    self.logoURI = logoURI
    self.jwks = jwks
    self.jwksURI = jwksURI
    self.previousSecretHash = previousSecretHash
    self.previousSecretExpiresAt = previousSecretExpiresAt
    self.createdAt = createdAt
    self.lastUsedAt = lastUsedAt
  }
}
