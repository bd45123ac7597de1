import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// `latchkey client add`: pre-registers a client. A confidential client's secret is printed
/// once, here, and stored only as its SHA-256.
struct ClientAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Pre-register a public or confidential client.",
    discussion: """
      Redirect URIs follow the registration rules: https, http only on loopback, or a \
      private-use scheme (com.example.app:/cb) for native apps; no fragments or wildcards. \
      A confidential client's secret is printed once and cannot be shown again. A machine \
      client (--grant-type client_credentials, with client_secret_basic or client_secret_post) \
      needs no redirect URI; --scope limits what it may get.
      """)

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "Display name shown on the consent page.")
  var name: String

  @Option(name: .customLong("redirect-uri"), help: "A redirect URI (repeat for several).")
  var redirectURIs: [String] = []

  @Option(name: .long, help: "Client id (default: a random lk_… id).")
  var id: String?

  @Option(
    name: .customLong("auth-method"),
    help: """
      Token endpoint auth method: none (public), client_secret_basic, client_secret_post, or \
      private_key_jwt (with --jwks-uri or --jwks-file).
      """)
  var authMethod: String = "none"

  @Option(
    name: .customLong("jwks-uri"),
    help: "private_key_jwt: the https URL where the client publishes its public JWK Set.")
  var jwksURI: String?

  @Option(
    name: .customLong("jwks-file"),
    help: "private_key_jwt: a file holding the client's public JWK Set (private members dropped).")
  var jwksFile: String?

  @Option(
    name: .customLong("grant-type"),
    help: """
      Grant type (repeat): authorization_code, refresh_token (default: both), or \
      client_credentials alone for a machine client (confidential, no redirect URI).
      """)
  var grantTypes: [String] = []

  @Option(
    name: .customLong("application-type"),
    help: "native or web (default: native when every redirect URI is loopback or private-use).")
  var applicationType: String?

  @Option(name: .long, help: "Space-separated scopes the client may request (default: any).")
  var scope: String?

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func validate() throws {
    let machineOnly = !grantTypes.isEmpty && grantTypes.allSatisfy { $0 == "client_credentials" }
    if redirectURIs.isEmpty, !machineOnly {
      throw ValidationError("Missing expected option '--redirect-uri'.")
    }
    let keyed = jwksURI != nil || jwksFile != nil
    if authMethod == TokenEndpointAuthMethod.privateKeyJWT.rawValue {
      guard (jwksURI == nil) != (jwksFile == nil) else {
        throw ValidationError("private_key_jwt needs exactly one of --jwks-uri and --jwks-file.")
      }
      if let jwksURI, !ClientKeyInput.isHTTPSURL(jwksURI) {
        throw ValidationError("--jwks-uri must be an https URL, got \(jwksURI).")
      }
    } else if keyed {
      throw ValidationError("--jwks-uri and --jwks-file go with --auth-method private_key_jwt.")
    }
  }

  func run() async throws {
    try await store.withSession { session in
      let metadata = try ClientInput.validate(
        redirectURIs: redirectURIs, name: name, authMethod: authMethod,
        grantTypes: grantTypes.isEmpty
          ? [GrantType.authorizationCode, .refreshToken].map(\.rawValue) : grantTypes,
        applicationType: applicationType, scope: scope)
      let clientID = id ?? "lk_" + SecureRandom.token(byteCount: 18)
      let secret = metadata.tokenEndpointAuthMethod.usesSecret ? SecureRandom.token() : nil
      let jwks = try jwksFile.map(ClientKeyInput.publicJWKS(file:))
      let client = Client(
        id: clientID, name: metadata.name, origin: .preregistered,
        redirectURIs: metadata.redirectURIs, grantTypes: metadata.grantTypes,
        tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
        applicationType: metadata.applicationType, allowedScopes: metadata.allowedScopes,
        secretHash: secret.map(SecretHash.of), jwks: jwks, jwksURI: jwksURI,
        createdAt: session.now)
      do {
        try await session.store.insertClient(client)
      } catch StoreError.conflict {
        throw CLIError("a client with the id \(clientID) already exists")
      }
      try await session.audit(
        "cli.client.added", clientID: clientID, detail: "auth=\(authMethod)")
      session.emit(json: json, ClientRendering.json(client, secret: secret)) {
        var lines = ["added client \(clientID) (\(metadata.tokenEndpointAuthMethod.rawValue))"]
        if let secret {
          lines.append("client_secret: \(secret)")
          lines.append("store this secret now: it is shown only once and cannot be recovered")
        }
        return lines.joined(separator: "\n")
      }
    }
  }
}
