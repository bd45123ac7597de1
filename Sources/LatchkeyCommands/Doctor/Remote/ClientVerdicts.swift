import Foundation

/// What the client verdicts are decided on: the findings, and a few facts read from the
/// documents themselves.
struct RemoteFacts: Sendable, Equatable {
  var challenge = false
  var protectedResourceMetadata = false
  var resourcePrefix = false
  var resourceEqual = false
  var authorizationServerMetadata = false
  var issuer = false
  var s256 = false
  var codeResponseType = false
  var secureURLs = false
  var dynamicRegistration = false
  var metadataDocuments = false
  /// `token_endpoint_auth_methods_supported` (RFC 8414 §2 default when absent).
  var authMethods: [String] = []
  var crossOrigin = false
  var trailingSlash = false

  func supports(_ method: String) -> Bool { authMethods.contains(method) }

  init() {}

  init(_ observations: RemoteObservations, findings: [DoctorFinding]) {
    let problems = Set(findings.filter { $0.severity == .problem }.map(\.check))
    challenge = !problems.contains("challenge")
    if let prm = observations.protectedResourceMetadata?.document {
      protectedResourceMetadata = !problems.contains("prm.document")
      if let declared = prm.string("resource").flatMap(NormalizedURL.init),
        let expected = NormalizedURL(observations.target.absoluteString)
      {
        resourceEqual = declared == expected
        resourcePrefix = declared.isPrefix(of: expected)
      }
    }
    if let metadata = observations.authorizationServerMetadata?.document {
      authorizationServerMetadata = true
      issuer = !problems.contains("as.issuer")
      s256 = metadata.strings("code_challenge_methods_supported")?.contains("S256") == true
      codeResponseType = metadata.strings("response_types_supported")?.contains("code") == true
      dynamicRegistration = metadata.string("registration_endpoint") != nil
      metadataDocuments = metadata.bool("client_id_metadata_document_supported") == true
      authMethods =
        metadata.strings("token_endpoint_auth_methods_supported") ?? ["client_secret_basic"]
    }
    secureURLs = problems.isDisjoint(with: ["tls", "tls.metadata", "proxy.host"])
    let crossOriginChecks = findings.filter { $0.check.hasPrefix("cors.") }
    crossOrigin =
      !crossOriginChecks.isEmpty && crossOriginChecks.allSatisfy { $0.severity == .ok }
    let path =
      URLComponents(url: observations.target, resolvingAgainstBaseURL: false)?.percentEncodedPath
      ?? ""
    trailingSlash = path.count > 1 && path.hasSuffix("/")
  }
}

/// One row of the verdict table.
struct ClientVerdict: Sendable, Equatable {
  var client: String
  /// The requirements not met, in the client's order; empty → ✓.
  var unmet: [ClientRequirement]

  var ok: Bool { unmet.isEmpty }
}

/// The clients of `ClientProfiles.swift` and what each needs.
enum ClientVerdicts {
  /// Every client needs these (the TypeScript SDK's steps 1–6, which the others follow too).
  static let common: [ClientRequirement] = [
    .challenge, .protectedResourceMetadata, .authorizationServerMetadata, .issuer,
    .authorizationCode, .secureURLs,
  ]

  /// Name and extra requirements, from shared/client-profiles.md.
  static let clients: [(name: String, needs: [ClientRequirement])] = [
    ("Claude Code", [.resourcePrefix, .publicRegistration]),
    ("claude.ai", [.resourcePrefix, .claudeRegistration, .noTrailingSlash]),
    ("ChatGPT", [.resourcePrefix, .chatGPTRegistration]),
    ("VS Code", [.resourceEqual, .publicRegistration]),
    ("Cursor", [.resourcePrefix, .dynamicPublicRegistration]),
    ("Windsurf", [.resourcePrefix, .dynamicPublicRegistration]),
    ("MCP Inspector", [.resourcePrefix, .publicRegistration, .crossOrigin]),
    ("Python SDK", [.resourcePrefix, .publicRegistration]),
    ("Goose", [.resourcePrefix, .metadataDocument]),
  ]

  static func verdicts(_ facts: RemoteFacts) -> [ClientVerdict] {
    clients.map { client in
      ClientVerdict(
        client: client.name, unmet: (common + client.needs).filter { !$0.isMet(facts) })
    }
  }
}
