import Foundation

/// The authorization server's metadata as MCP clients read it.
enum AuthorizationServerChecks {
  /// RFC 8414 §3.1 and OpenID Connect Discovery 1.0 §4, in the order MCP clients try them
  /// (MCP 2025-11-25 "Authorization Server Metadata Discovery"; TypeScript SDK step 4): at least
  /// one answers; the RFC 8414 URL, tried first by every client, should.
  static func discovery(_ fetches: [RemoteObservations.Fetch], issuer: String) -> [DoctorFinding] {
    let answers = fetches.map { "\($0.url) → \(ResourceChecks.describe($0))" }
    guard let found = fetches.firstIndex(where: { $0.document != nil }) else {
      return [
        .problem(
          "as.discovery",
          "no authorization server metadata for \(issuer): "
            + answers.joined(separator: "; ")
            + ". Serve RFC 8414 metadata at \(fetches.first?.url ?? issuer)"
            + " (claude.ai and VS Code then guess /authorize at the MCP server's origin)")
      ]
    }
    let served = fetches.filter { $0.document != nil }.map(\.url)
    if found > 0 {
      return [
        .warning(
          "as.discovery",
          "\(fetches[0].url) answered \(ResourceChecks.describe(fetches[0])); clients find "
            + "\(fetches[found].url) only after falling back (RFC 8414 §3.1 is tried first)")
      ]
    }
    return [.ok("as.discovery", served.joined(separator: ", "))]
  }

  /// RFC 8414 §3.3: `issuer` MUST be identical to the issuer the metadata URL was built from
  /// (here `authorization_servers[0]` of the protected resource metadata). The TypeScript SDK
  /// v2 compares the strings, tolerating only a trailing `/` on the expected side.
  static func issuer(_ issuer: String?, expected: String) -> [DoctorFinding] {
    guard let issuer else {
      return [.problem("as.issuer", "the metadata has no issuer (RFC 8414 §2: REQUIRED)")]
    }
    if issuer == expected { return [.ok("as.issuer", issuer)] }
    if expected.hasSuffix("/") && issuer == String(expected.dropLast()) {
      return [
        .warning(
          "as.issuer",
          "issuer \"\(issuer)\" ≠ \"\(expected)\" (authorization_servers[0]) by a trailing slash; "
            + "the TypeScript SDK tolerates this direction, RFC 8414 §3.3 does not; make both "
            + "\"\(issuer)\"")
      ]
    }
    let slash = issuer.hasSuffix("/") != expected.hasSuffix("/") ? " by a trailing slash" : ""
    return [
      .problem(
        "as.issuer",
        "issuer \"\(issuer)\" ≠ \"\(expected)\" (authorization_servers[0])\(slash): clients "
          + "refuse the metadata (RFC 8414 §3.3, IssuerMismatchError); make authorization_servers "
          + "and issuer the same string")
    ]
  }

  /// OAuth 2.1 §4.1.1 and MCP 2025-11-25 "Authorization Code Protection": clients MUST refuse
  /// an AS whose `code_challenge_methods_supported` is absent; S256 must be listed (ChatGPT
  /// refuses otherwise); RFC 8414 §2: `response_types_supported` is REQUIRED and clients need
  /// `code` (TypeScript SDK step 6).
  static func authorizationCode(_ metadata: MetadataDocument) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    switch metadata.strings("code_challenge_methods_supported") {
    case nil:
      findings.append(
        .problem(
          "as.pkce",
          "no code_challenge_methods_supported: MCP clients must refuse an AS that does not "
            + "advertise PKCE; list [\"S256\"]"))
    case let methods? where !methods.contains("S256"):
      findings.append(
        .problem(
          "as.pkce",
          "code_challenge_methods_supported \(methods) lacks S256 (OAuth 2.1 §4.1.1); list it"))
    default:
      findings.append(.ok("as.pkce", "S256"))
    }
    if metadata.strings("response_types_supported")?.contains("code") == true {
      findings.append(.ok("as.response_types", "code"))
    } else {
      findings.append(
        .problem(
          "as.response_types",
          "response_types_supported does not list code (RFC 8414 §2); clients refuse the AS"))
    }
    return findings
  }

  /// How clients get a `client_id`: RFC 7591 dynamic registration at `registration_endpoint`,
  /// or a client ID metadata document (`client_id_metadata_document_supported`, MCP 2025-11-25
  /// "Client ID Metadata Documents"); and the token endpoint's methods (RFC 8414 §2, default
  /// `client_secret_basic` when absent): public clients need `none`, claude.ai and ChatGPT's
  /// DCR `client_secret_post`.
  static func registration(_ metadata: MetadataDocument) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    let dynamic = metadata.string("registration_endpoint")
    let documents = metadata.bool("client_id_metadata_document_supported") == true
    switch (dynamic, documents) {
    case (let url?, _): findings.append(.ok("as.registration", url))
    case (nil, true):
      findings.append(
        .warning(
          "as.registration",
          "no registration_endpoint: Cursor, Windsurf and other DCR-only clients cannot register"))
    case (nil, false):
      findings.append(
        .problem(
          "as.registration",
          "neither registration_endpoint nor client_id_metadata_document_supported: clients "
            + "cannot get a client_id; enable dynamic registration (RFC 7591)"))
    }
    findings.append(
      documents
        ? .ok("as.cimd", "client_id_metadata_document_supported")
        : .warning(
          "as.cimd",
          "client_id_metadata_document_supported is not true: Goose cannot connect, claude.ai "
            + "and VS Code use DCR"))
    let methods =
      metadata.strings("token_endpoint_auth_methods_supported") ?? ["client_secret_basic"]
    var missing: [String] = []
    if !methods.contains("none") { missing.append("none (public clients: most MCP clients)") }
    if !methods.contains("client_secret_post") {
      missing.append("client_secret_post (claude.ai and ChatGPT DCR)")
    }
    if missing.isEmpty {
      findings.append(.ok("as.auth_methods", methods.joined(separator: " ")))
    } else {
      let absent =
        metadata.strings("token_endpoint_auth_methods_supported") == nil
        ? " (absent: RFC 8414 §2 default client_secret_basic)" : ""
      findings.append(
        (methods.contains("none") ? DoctorFinding.warning : DoctorFinding.problem)(
          "as.auth_methods",
          "token_endpoint_auth_methods_supported\(absent) lacks "
            + missing.joined(separator: " and ")))
    }
    return findings
  }
}
