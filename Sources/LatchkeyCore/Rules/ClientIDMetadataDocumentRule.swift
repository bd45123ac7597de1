public import Foundation

/// Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document; MCP 2025-11-25
/// "Client ID Metadata Documents"): a `client_id` that is an https URL names a JSON document
/// describing the client.
public enum ClientIDMetadataDocumentRule {
  /// The recommended response size limit (CIMD §Maximum Response Size).
  public static let maximumDocumentBytes = 5 * 1024

  /// Whether a `client_id` is meant as a metadata document URL (it starts with `https://`).
  public static func isMetadataDocumentID(_ clientID: String) -> Bool {
    clientID.lowercased().hasPrefix("https://")
  }

  /// CIMD §Client Identifier: https scheme, a host, a path, no `.` or `..` segments, no
  /// fragment, no userinfo; a query is not allowed by Latchkey (SHOULD NOT in the draft).
  /// Returns the problem, or nil when the URL is acceptable.
  public static func validateClientIDURL(_ clientID: String) -> String? {
    guard let components = URLComponents(string: clientID),
      components.scheme == "https", let host = components.host, !host.isEmpty
    else { return "client_id must be an https URL" }
    guard components.user == nil, components.password == nil else {
      return "client_id must not contain userinfo"
    }
    guard components.fragment == nil, !clientID.contains("#") else {
      return "client_id must not contain a fragment"
    }
    guard components.query == nil else { return "client_id must not contain a query" }
    let path = components.percentEncodedPath
    guard path.count > 1 else { return "client_id must have a path" }
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    guard !segments.contains(where: { $0 == "." || $0 == ".." }) else {
      return "client_id must not contain dot segments"
    }
    return nil
  }

  /// The document's metadata as Latchkey reads it.
  public struct Document: Decodable, Sendable {
    /// `client_id`: must equal the URL the document was fetched from.
    public var clientID: String?
    /// `client_name`.
    public var clientName: String?
    /// `redirect_uris`.
    public var redirectURIs: [String]?
    /// `token_endpoint_auth_method`: only `none` is accepted.
    public var tokenEndpointAuthMethod: String?
    /// `grant_types`.
    public var grantTypes: [String]?
    /// `response_types`.
    public var responseTypes: [String]?
    /// `client_uri`.
    public var clientURI: String?
    /// `logo_uri`.
    public var logoURI: String?
    /// `policy_uri`: checked like `client_uri`, not kept.
    public var policyURI: String?
    /// `tos_uri`: checked like `client_uri`, not kept.
    public var tosURI: String?
    /// `scope`.
    public var scope: String?
    /// `jwks_uri`: where a `private_key_jwt` client publishes its public keys (https).
    public var jwksURI: String?
    /// `jwks`: the public keys inline, kept as the JSON text of the object.
    public var jwks: JSONText?
    /// `client_secret`: its presence makes the document invalid.
    public var clientSecret: String?
    /// `client_secret_expires_at`: its presence makes the document invalid.
    public var clientSecretExpiresAt: Int?

    enum CodingKeys: String, CodingKey {
      case clientID = "client_id"
      case clientName = "client_name"
      case redirectURIs = "redirect_uris"
      case tokenEndpointAuthMethod = "token_endpoint_auth_method"
      case grantTypes = "grant_types"
      case responseTypes = "response_types"
      case clientURI = "client_uri"
      case logoURI = "logo_uri"
      case policyURI = "policy_uri"
      case tosURI = "tos_uri"
      case scope
      case jwksURI = "jwks_uri"
      case jwks
      case clientSecret = "client_secret"
      case clientSecretExpiresAt = "client_secret_expires_at"
    }
  }

  /// Validates a fetched document and turns it into a client.
  ///
  /// CIMD §Client Metadata Document: `client_id` inside equals the URL by simple string
  /// comparison; no shared-secret authentication (`client_secret_*`, `client_secret`): a
  /// document client is public (`none`) or proves itself with `private_key_jwt` (RFC 7523) and
  /// the public keys at its https `jwks_uri` or in `jwks` (ChatGPT's documents do this); a document naming a member twice is
  /// refused (`JSONDuplicateMemberRule`); MCP requires `client_name` and
  /// `redirect_uris`. Redirect URIs follow the same registration rules as DCR (native type:
  /// loopback and private-use schemes allowed).
  public static func client(from body: [UInt8], url: String, at now: Date) -> Result<
    Client, OAuthError
  > {
    guard body.count <= maximumDocumentBytes else {
      return .failure(OAuthError(.invalidClient, "The client metadata document is too large."))
    }
    if JSONDuplicateMemberRule.firstDuplicate(in: body) != nil {
      return .failure(
        OAuthError(.invalidClient, "The client metadata document names a member more than once."))
    }
    guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)) else {
      return .failure(OAuthError(.invalidClient, "The client metadata document is not valid JSON."))
    }
    guard document.clientID == url else {
      return .failure(
        OAuthError(.invalidClient, "The document's client_id does not equal its URL."))
    }
    let method = document.tokenEndpointAuthMethod ?? "none"
    guard document.clientSecret == nil, document.clientSecretExpiresAt == nil,
      method == "none" || method == TokenEndpointAuthMethod.privateKeyJWT.rawValue
    else {
      return .failure(
        OAuthError(
          .invalidClient, "Metadata document clients must be public or use private_key_jwt."))
    }
    let keyed = method == TokenEndpointAuthMethod.privateKeyJWT.rawValue
    if keyed {
      let httpsURI = document.jwksURI.map(ClientMetadataRule.isHTTPSURL) ?? false
      guard (document.jwksURI == nil) != (document.jwks == nil), document.jwks != nil || httpsURI
      else {
        return .failure(
          OAuthError(
            .invalidClient, "A private_key_jwt document needs an https jwks_uri or jwks (one)."))
      }
    }
    guard let name = document.clientName, !name.isEmpty else {
      return .failure(OAuthError(.invalidClient, "The document has no client_name."))
    }
    let validated = ClientMetadataRule.validate(
      redirectURIs: document.redirectURIs, clientName: name, tokenEndpointAuthMethod: "none",
      grantTypes: document.grantTypes
        ?? [GrantType.authorizationCode, .refreshToken].map(\.rawValue),
      responseTypes: document.responseTypes, applicationType: "native", scope: document.scope,
      clientURI: document.clientURI, logoURI: document.logoURI, policyURI: document.policyURI,
      tosURI: document.tosURI)
    switch validated {
    case .failure(let error):
      return .failure(OAuthError(.invalidClient, error.publicDescription))
    case .success(let metadata):
      return .success(
        Client(
          id: url, name: metadata.name, origin: .metadataDocument,
          redirectURIs: metadata.redirectURIs, grantTypes: metadata.grantTypes,
          tokenEndpointAuthMethod: keyed ? .privateKeyJWT : .none, applicationType: .native,
          allowedScopes: metadata.allowedScopes, clientURI: metadata.clientURI,
          logoURI: metadata.logoURI, jwks: keyed ? document.jwks?.text : nil,
          jwksURI: keyed ? document.jwksURI : nil, createdAt: now))
    }
  }
}

/// A JSON value kept as its text (a client's inline `jwks`): decoded from any JSON object and
/// re-encoded with sorted keys, so the store holds a stable form.
public struct JSONText: Decodable, Sendable, Equatable {
  public let text: String

  public init(from decoder: any Decoder) throws {
    let value = try JSONValue(from: decoder)
    guard case .object = value else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "expected a JSON object"))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    text = String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

/// Any JSON value, for `JSONText`.
enum JSONValue: Codable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }
}
