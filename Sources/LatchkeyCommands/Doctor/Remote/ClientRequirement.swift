import Foundation

/// One thing a deployed MCP client needs from the server, judged from what `doctor --remote`
/// observed. Which client needs which: `ClientVerdicts.clients` (facts from
/// shared/client-profiles.md and Tests/LatchkeyDemoTests/ClientProfiles.swift).
enum ClientRequirement: String, Sendable, CaseIterable {
  /// A 401 with a Bearer challenge starts every client's flow (RFC 6750 §3, RFC 9728 §5.1).
  case challenge
  /// Protected resource metadata where clients look (RFC 9728 §3.1).
  case protectedResourceMetadata
  /// `resource` same-origin with and a path prefix of the URL (TypeScript SDK, Python SDK).
  case resourcePrefix
  /// `resource` equal to the normalised URL (VS Code: a trailing `/` is fatal).
  case resourceEqual
  /// Authorization server metadata at one of the discovery URLs (RFC 8414 §3.1, OIDC §4).
  case authorizationServerMetadata
  /// `issuer` equal to `authorization_servers[0]` (RFC 8414 §3.3; TypeScript SDK v2).
  case issuer
  /// `code` and PKCE S256 advertised (OAuth 2.1 §4.1.1; ChatGPT refuses without S256).
  case authorizationCode
  /// https everywhere when reached over https; no internal hosts (OAuth 2.1 §1.5).
  case secureURLs
  /// RFC 7591 registration of a public client (`none`): Cursor, Windsurf.
  case dynamicPublicRegistration
  /// A public client through a client ID metadata document or RFC 7591.
  case publicRegistration
  /// claude.ai: a metadata document when `client_id_metadata_document_supported` and `none`
  /// are listed, else RFC 7591 with `client_secret_post`.
  case claudeRegistration
  /// ChatGPT: RFC 7591 with `client_secret_post`, or a metadata document with
  /// `private_key_jwt`.
  case chatGPTRegistration
  /// Goose: a metadata document, no DCR fallback.
  case metadataDocument
  /// Browser-based: CORS on the authorization server and the resource.
  case crossOrigin
  /// claude.ai strips a trailing `/` from the connector URL (cai#234).
  case noTrailingSlash

  func isMet(_ facts: RemoteFacts) -> Bool {
    switch self {
    case .challenge: facts.challenge
    case .protectedResourceMetadata: facts.protectedResourceMetadata
    case .resourcePrefix: facts.resourcePrefix
    case .resourceEqual: facts.resourceEqual
    case .authorizationServerMetadata: facts.authorizationServerMetadata
    case .issuer: facts.issuer
    case .authorizationCode: facts.s256 && facts.codeResponseType
    case .secureURLs: facts.secureURLs
    case .dynamicPublicRegistration: facts.dynamicRegistration && facts.supports("none")
    case .publicRegistration:
      (facts.dynamicRegistration || facts.metadataDocuments) && facts.supports("none")
    case .claudeRegistration:
      (facts.metadataDocuments && facts.supports("none"))
        || (facts.dynamicRegistration && facts.supports("client_secret_post"))
    case .chatGPTRegistration:
      (facts.dynamicRegistration && facts.supports("client_secret_post"))
        || (facts.metadataDocuments && facts.supports("private_key_jwt"))
    case .metadataDocument: facts.metadataDocuments && facts.supports("none")
    case .crossOrigin: facts.crossOrigin
    case .noTrailingSlash: !facts.trailingSlash
    }
  }

  /// Why the client fails when the requirement is not met.
  var reason: String {
    switch self {
    case .challenge: "no 401 Bearer challenge from the MCP endpoint"
    case .protectedResourceMetadata: "no protected resource metadata"
    case .resourcePrefix: "PRM resource is not the URL (nor a same-origin prefix of it)"
    case .resourceEqual: "PRM resource ≠ the normalised server URL"
    case .authorizationServerMetadata: "no authorization server metadata"
    case .issuer: "issuer ≠ authorization_servers[0]"
    case .authorizationCode: "S256 or code not advertised"
    case .secureURLs: "http:// or internal URLs in the metadata"
    case .dynamicPublicRegistration: "no RFC 7591 registration with auth method none"
    case .publicRegistration: "no registration (DCR or CIMD) for a public client"
    case .claudeRegistration: "neither CIMD with none nor DCR with client_secret_post"
    case .chatGPTRegistration: "neither DCR with client_secret_post nor CIMD with private_key_jwt"
    case .metadataDocument: "client ID metadata documents not supported (no DCR fallback)"
    case .crossOrigin: "CORS refused for a browser origin"
    case .noTrailingSlash: "the URL ends in / and claude.ai strips it"
    }
  }

  /// What to change on the server.
  var fix: String {
    switch self {
    case .challenge: "answer 401 WWW-Authenticate: Bearer resource_metadata=…"
    case .protectedResourceMetadata: "serve RFC 9728 metadata at the path-inserted URL"
    case .resourcePrefix, .resourceEqual: "set resource to exactly the URL clients use"
    case .authorizationServerMetadata: "serve RFC 8414 metadata"
    case .issuer: "make issuer and authorization_servers[0] the same string"
    case .authorizationCode: "list S256 and code"
    case .secureURLs: "configure https URLs or forward X-Forwarded-Proto/Host"
    case .dynamicPublicRegistration: "enable registration_endpoint and list none"
    case .publicRegistration: "enable DCR or CIMD and list none"
    case .claudeRegistration: "list client_secret_post, or CIMD and none"
    case .chatGPTRegistration: "enable DCR and list client_secret_post"
    case .metadataDocument: "set client_id_metadata_document_supported (and list none)"
    case .crossOrigin: "answer CORS preflights; allow the origin on the resource"
    case .noTrailingSlash: "serve the MCP endpoint at the URL without the trailing /"
    }
  }
}
