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
  case none
  case clientSecretBasic = "client_secret_basic"
  case clientSecretPost = "client_secret_post"

  public var isConfidential: Bool { self != .none }
}

/// OpenID Connect Registration §2 `application_type`.
public enum ApplicationType: String, Sendable, Codable, CaseIterable {
  case native
  case web
}

/// A registered OAuth client. The secret is never stored, only `secretHash`.
public struct Client: Sendable, Equatable, Codable {
  public var id: String
  public var name: String
  public var origin: ClientOrigin
  public var redirectURIs: [String]
  public var grantTypes: [String]
  public var tokenEndpointAuthMethod: TokenEndpointAuthMethod
  public var applicationType: ApplicationType
  /// Scopes this client may request; empty means "whatever the resource offers".
  public var allowedScopes: ScopeSet
  /// SHA-256 (hex) of the client secret for confidential clients.
  public var secretHash: String?
  public var softwareID: String?
  public var softwareVersion: String?
  /// Hash of the normalized registration metadata, so identical registrations are idempotent.
  public var metadataFingerprint: String?
  public var clientURI: String?
  public var logoURI: String?
  public var createdAt: Date
  public var lastUsedAt: Date?

  public init(
    id: String, name: String, origin: ClientOrigin, redirectURIs: [String],
    grantTypes: [String] = ["authorization_code", "refresh_token"],
    tokenEndpointAuthMethod: TokenEndpointAuthMethod = .none,
    applicationType: ApplicationType = .native, allowedScopes: ScopeSet = .empty,
    secretHash: String? = nil, softwareID: String? = nil, softwareVersion: String? = nil,
    metadataFingerprint: String? = nil, clientURI: String? = nil, logoURI: String? = nil,
    createdAt: Date, lastUsedAt: Date? = nil
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
    self.createdAt = createdAt
    self.lastUsedAt = lastUsedAt
  }
}
