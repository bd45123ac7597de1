import Foundation

/// The resource side as clients meet it: the 401, its challenge, the protected resource
/// metadata and its `resource`.
enum ResourceChecks {
  /// RFC 6750 §3 and RFC 9728 §5.1; MCP 2025-11-25 "Protected Resource Metadata Discovery"
  /// (servers MUST answer 401 with `WWW-Authenticate`, SHOULD name `resource_metadata` and
  /// `scope`): an unauthenticated `initialize` is refused with a Bearer challenge.
  static func challenge(_ answer: RemoteAnswer) -> [DoctorFinding] {
    guard let response = answer.response else {
      return [.problem("challenge", "the MCP endpoint did not answer: \(answer.summary)")]
    }
    guard response.status == 401 else {
      let why =
        switch response.status {
        case 200..<300: "it is not protected (or accepts anonymous requests); clients never sign in"
        case 404: "wrong URL? (404)"
        case 403: "403 before authentication: an Origin/Host check or a firewall refused it"
        default: "expected 401 with a Bearer challenge"
        }
      return [
        .problem("challenge", "an initialize without a token answered \(response.status): \(why)")
      ]
    }
    guard let header = response.headers["www-authenticate"] else {
      return [
        .problem(
          "challenge",
          "401 without WWW-Authenticate (RFC 6750 §3): clients cannot discover the metadata; "
            + "answer WWW-Authenticate: Bearer resource_metadata=\"…\"")
      ]
    }
    guard let parameters = BearerChallengeParser.parameters(header) else {
      return [.problem("challenge", "401 with no Bearer challenge: WWW-Authenticate: \(header)")]
    }
    var findings: [DoctorFinding] = [.ok("challenge", "401 WWW-Authenticate: \(header)")]
    if parameters["resource_metadata"] == nil {
      findings.append(
        .warning(
          "challenge.resource_metadata",
          "the challenge has no resource_metadata (RFC 9728 §5.1); clients fall back to the "
            + "well-known locations"))
    }
    if parameters["scope"] == nil {
      findings.append(
        .warning(
          "challenge.scope",
          "the challenge has no scope (MCP 2025-11-25 \"Scope Selection Strategy\"); clients "
            + "fall back to scopes_supported and may ask for every scope"))
    }
    return findings
  }

  /// RFC 9728 §3.1: the metadata of a resource with a path is at the path-inserted
  /// well-known URL; the TypeScript SDK and VS Code fall back to the root; a challenge's
  /// `resource_metadata` (§5.1) is tried first.
  static func metadataLocations(
    pathInserted: RemoteObservations.Fetch, root: RemoteObservations.Fetch?,
    named: RemoteObservations.Fetch?
  ) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    if let named, named.document == nil {
      findings.append(
        .problem(
          "prm",
          "the challenge's resource_metadata \(named.url) answered \(describe(named)); "
            + "point it at the served document"))
    }
    if pathInserted.document != nil {
      findings.append(.ok("prm", "\(pathInserted.url) (RFC 9728 §3.1 path-inserted)"))
    } else if let root, root.document != nil {
      findings.append(
        .warning(
          "prm",
          "only the root \(root.url) serves metadata; \(pathInserted.url) answered "
            + "\(describe(pathInserted)). RFC 9728 §3.1 puts it at the path-inserted URL; "
            + "clients without the root fallback fail"))
    } else if named?.document != nil {
      findings.append(
        .warning(
          "prm",
          "metadata only at the challenge's URL; \(pathInserted.url) answered "
            + "\(describe(pathInserted)); clients that ignore the challenge cannot find it"))
    } else {
      var tried = [pathInserted]
      if let root { tried.append(root) }
      let answers = tried.map { "\($0.url) answered \(describe($0))" }
      findings.append(
        .problem(
          "prm",
          "no protected resource metadata: " + answers.joined(separator: ", ")
            + "; serve RFC 9728 metadata at \(pathInserted.url) naming the authorization server"))
    }
    return findings
  }

  /// RFC 9728 §2: `resource` is REQUIRED; `authorization_servers` is what MCP clients follow
  /// (MCP 2025-11-25 "Authorization Server Location": MUST include at least one).
  static func metadataDocument(_ document: MetadataDocument) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    if document.string("resource") == nil {
      findings.append(.problem("prm.document", "the metadata has no resource (RFC 9728 §2)"))
    }
    if document.strings("authorization_servers")?.isEmpty ?? true {
      findings.append(
        .problem(
          "prm.document",
          "the metadata names no authorization_servers; clients guess the MCP server's origin"))
    }
    return findings
  }

  /// RFC 9728 §3.3: `resource` must be identical to the URL the metadata was derived from;
  /// VS Code refuses any difference after normalisation (a trailing `/` included), the
  /// TypeScript SDK needs the same origin and a path prefix (`checkResourceAllowed`), and the
  /// token's audience (RFC 8707) is this string.
  static func resource(_ resource: String?, target: URL) -> [DoctorFinding] {
    guard let resource else { return [] }
    guard let declared = NormalizedURL(resource),
      let expected = NormalizedURL(target.absoluteString)
    else { return [.problem("prm.resource", "resource \(resource) is not an absolute URL")] }
    if declared == expected { return [.ok("prm.resource", resource)] }
    let slash =
      declared.origin == expected.origin
      && withoutSlash(declared.path) == withoutSlash(expected.path)
      && declared.query == expected.query
    let why =
      slash
      ? "differs only by a trailing slash"
      : declared.isPrefix(of: expected)
        ? "is a prefix of it (accepted by the TypeScript SDK, refused by VS Code)"
        : "names another resource (clients refuse it)"
    return [
      .problem(
        "prm.resource",
        "resource \(resource) ≠ \(expected), the URL clients connect to: it \(why); make the "
          + "resource exactly the URL you give clients, \(target.absoluteString), or give them "
          + "\(resource)")
    ]
  }

  private static func withoutSlash(_ path: String) -> String {
    path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  static func describe(_ fetch: RemoteObservations.Fetch) -> String {
    if let status = fetch.answer.status {
      return status == 200 ? "200 without a JSON object" : "\(status)"
    }
    return fetch.answer.summary
  }
}
