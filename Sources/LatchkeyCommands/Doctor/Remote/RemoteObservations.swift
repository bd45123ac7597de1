import Foundation

/// Everything `doctor --remote` fetched, before any judgement: the input of the pure checks.
struct RemoteObservations: Sendable {
  /// One GET and its answer.
  struct Fetch: Sendable, Equatable {
    var url: String
    var answer: RemoteAnswer

    /// The document, when the answer is 200 with a JSON object.
    var document: MetadataDocument? {
      guard let response = answer.response, response.status == 200 else { return nil }
      return MetadataDocument(json: response.body)
    }
  }

  /// A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-*`) a browser-based
  /// client's request causes, and, for reads, the actual request with `Origin`.
  struct CrossOrigin: Sendable, Equatable {
    enum Side: String, Sendable {
      /// The authorization server: open to any origin (its endpoints use no cookies).
      case authorizationServer
      /// The resource (PRM and MCP endpoint): an operator-chosen origin allow-list.
      case resource
    }

    /// The check's name after `cors.`: `as_metadata`, `register`, `token`, `prm`, `mcp`.
    var name: String
    var side: Side
    var url: String
    var method: String
    /// Lower-cased, as browsers send them in `Access-Control-Request-Headers`.
    var requestHeaders: [String]
    var preflight: RemoteAnswer
    /// The actual request with `Origin`, when the check reads its response.
    var actual: RemoteAnswer?
    /// Response headers the client must be able to read (`Access-Control-Expose-Headers`).
    var exposes: [String] = []
  }

  var target: URL
  /// The browser origin the CORS checks use (`--origin`, default the MCP Inspector's).
  var origin: String
  /// The unauthenticated `initialize` POST.
  var challenge: RemoteAnswer
  var pathInsertedMetadata: Fetch
  /// Nil when the resource has no path (the root is the path-inserted location).
  var rootMetadata: Fetch?
  /// The challenge's `resource_metadata`, when it names neither location above.
  var challengeMetadata: Fetch?
  var authorizationServerDiscovery: [Fetch]
  var crossOrigin: [CrossOrigin]

  /// The challenge's Bearer parameters.
  var challengeParameters: [String: String]? {
    challenge.header("www-authenticate").flatMap(BearerChallengeParser.parameters)
  }

  /// The protected resource metadata a TypeScript SDK client uses: the challenge's URL first,
  /// then path-inserted, then the root (client-profiles.md step 2).
  var protectedResourceMetadata: (fetch: Fetch, document: MetadataDocument)? {
    let named = challengeParameters?["resource_metadata"]
    let all = [challengeMetadata, pathInsertedMetadata, rootMetadata].compactMap { $0 }
    let order = all.filter { $0.url == named } + all.filter { $0.url != named }
    for fetch in order {
      if let document = fetch.document { return (fetch, document) }
    }
    return nil
  }

  /// `authorization_servers[0]` of the metadata, else the server's origin (step 3).
  var authorizationServer: String {
    protectedResourceMetadata?.document.strings("authorization_servers")?.first
      ?? WellKnownURLs.origin(target)
  }

  /// The first authorization server metadata document found, in the clients' order.
  var authorizationServerMetadata: (fetch: Fetch, document: MetadataDocument)? {
    for fetch in authorizationServerDiscovery {
      if let document = fetch.document { return (fetch, document) }
    }
    return nil
  }

  /// Every response's `Date` header, in the order fetched.
  var dateHeaders: [String] {
    ([challenge, pathInsertedMetadata.answer] + authorizationServerDiscovery.map(\.answer))
      .compactMap { $0.header("date") }
  }
}
