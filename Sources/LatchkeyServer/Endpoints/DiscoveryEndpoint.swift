import Foundation
import Hummingbird
import LatchkeyCore

/// RFC 8414 §2 authorization server metadata, with the fields MCP clients depend on.
struct AuthorizationServerMetadata: Encodable, Sendable {
  let issuer: String
  let authorizationEndpoint: String
  let tokenEndpoint: String
  let registrationEndpoint: String?
  let jwksURI: String
  let revocationEndpoint: String
  let introspectionEndpoint: String
  let scopesSupported: [String]
  let responseTypesSupported = ["code"]
  let responseModesSupported = ["query"]
  /// The grants `GrantRegistry` serves at the token endpoint.
  let grantTypesSupported = GrantRegistry.standard.grantTypes.map(\.rawValue)
  let tokenEndpointAuthMethodsSupported = [
    "none", "client_secret_basic", "client_secret_post", "private_key_jwt",
  ]
  /// RFC 8414 §2: the algorithms a `private_key_jwt` assertion may use (`ClientAssertionRule`).
  let tokenEndpointAuthSigningAlgValuesSupported = ClientAssertionRule.algorithms
  let revocationEndpointAuthMethodsSupported = [
    "none", "client_secret_basic", "client_secret_post", "private_key_jwt",
  ]
  let introspectionEndpointAuthMethodsSupported = [
    "client_secret_basic", "client_secret_post", "private_key_jwt",
  ]
  let codeChallengeMethodsSupported = ["S256"]
  /// OpenID Connect Discovery 1.0 §3 (Initiating User Registration amends it): the `prompt`
  /// values `/authorize` understands (`PromptRule`).
  let promptValuesSupported = PromptRule.Value.allCases.map(\.rawValue)
  let authorizationResponseIssParameterSupported = true
  let clientIDMetadataDocumentSupported: Bool
  let subjectTypesSupported = ["public"]
  let idTokenSigningAlgValuesSupported: [String]

  enum CodingKeys: String, CodingKey {
    case issuer
    case authorizationEndpoint = "authorization_endpoint"
    case tokenEndpoint = "token_endpoint"
    case registrationEndpoint = "registration_endpoint"
    case jwksURI = "jwks_uri"
    case revocationEndpoint = "revocation_endpoint"
    case introspectionEndpoint = "introspection_endpoint"
    case scopesSupported = "scopes_supported"
    case responseTypesSupported = "response_types_supported"
    case responseModesSupported = "response_modes_supported"
    case grantTypesSupported = "grant_types_supported"
    case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
    case tokenEndpointAuthSigningAlgValuesSupported =
      "token_endpoint_auth_signing_alg_values_supported"
    case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
    case introspectionEndpointAuthMethodsSupported =
      "introspection_endpoint_auth_methods_supported"
    case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    case promptValuesSupported = "prompt_values_supported"
    case authorizationResponseIssParameterSupported =
      "authorization_response_iss_parameter_supported"
    case clientIDMetadataDocumentSupported = "client_id_metadata_document_supported"
    case subjectTypesSupported = "subject_types_supported"
    case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
  }
}

/// The endpoint paths, below the issuer's own path.
enum EndpointPath {
  static let authorize = "/authorize"
  static let token = "/token"
  static let register = "/register"
  static let jwks = "/jwks.json"
  static let revoke = "/revoke"
  static let introspect = "/introspect"
  /// The token vault's reader endpoint (a Latchkey extension, docs/identity-providers.md).
  static let upstreamToken = "/upstream-token"
}

extension AuthorizationServer {
  /// The issuer URL without a trailing slash, to append endpoint paths to.
  var issuerBase: String {
    issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
  }

  /// The issuer's path component ("" for an issuer at the host root).
  var issuerPath: String {
    let path = URLComponents(string: issuer)?.path ?? ""
    return path == "/" ? "" : (path.hasSuffix("/") ? String(path.dropLast()) : path)
  }

  func metadata(scopes: [String]) -> AuthorizationServerMetadata {
    AuthorizationServerMetadata(
      issuer: issuer, authorizationEndpoint: issuerBase + EndpointPath.authorize,
      tokenEndpoint: issuerBase + EndpointPath.token,
      registrationEndpoint: configuration.registration.dynamicRegistrationEnabled
        ? issuerBase + EndpointPath.register : nil,
      jwksURI: issuerBase + EndpointPath.jwks, revocationEndpoint: issuerBase + EndpointPath.revoke,
      introspectionEndpoint: issuerBase + EndpointPath.introspect, scopesSupported: scopes,
      clientIDMetadataDocumentSupported: configuration.registration.metadataDocumentsEnabled,
      idTokenSigningAlgValuesSupported: [configuration.signingAlgorithm.rawValue])
  }

  /// RFC 8414 §3: the metadata document. Served at the well-known URIs MCP clients try
  /// (M25/M26 "Authorization Server Metadata Discovery"): path-inserted for issuers with a path,
  /// plus the OpenID Connect Discovery aliases.
  /// The document is built from the registered resources' scopes and reused for up to 5 s
  /// (`discoveryDocument`), so discovery does not read the database per request.
  func discovery(_ request: Request, context: LatchkeyRequestContext) async throws -> Response {
    try await discoveryDocument.value(at: clock.now()) {
      let scopes = try await store.resources().flatMap { $0.scopes.map(\.name) }
      return Responses.PreparedJSON(
        encoded: try Responses.encoder.encode(
          metadata(scopes: Array(Set(scopes + ScopeRule.offlineAccess.tokens)).sorted())),
        extraHeaders: [.cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"])
    }.response
  }

  /// The well-known paths metadata is served at for this issuer.
  var discoveryPaths: [String] {
    let path = issuerPath
    var paths = [
      "/.well-known/oauth-authorization-server\(path)",
      "/.well-known/openid-configuration\(path)",
    ]
    if !path.isEmpty { paths.append("\(path)/.well-known/openid-configuration") }
    return paths
  }

  /// `jwks_uri`: every public key that may still verify a live token (RFC 7517 §5), encoded
  /// once per key reload (`SigningKeyProvider.Snapshot.jwksResponse`).
  func jwks(_ request: Request, context: LatchkeyRequestContext) async throws -> Response {
    try await keys.current().jwksResponse.response
  }

  /// Readiness: the database answers and an active key exists.
  func health(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    do {
      _ = try await store.resources()
      _ = try await keys.current()
      return Responses.json(["status": "ok"])
    } catch {
      return Responses.json(["status": "unavailable"], status: .serviceUnavailable)
    }
  }
}
