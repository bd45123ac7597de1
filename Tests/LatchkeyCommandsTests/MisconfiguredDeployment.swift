import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import NIOCore

@testable import LatchkeyCommands

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A small MCP deployment (MCP endpoint, protected resource metadata and authorization server
/// on one port) serving deliberately wrong documents, for `doctor --remote` to diagnose.
/// Every URL it writes is built from the request's `Host`, as a server behind a proxy does.
struct MisconfiguredDeployment: Sendable {
  /// The issuer ends in `/` while `authorization_servers` does not.
  var issuerSlash = false
  /// No protected resource metadata anywhere, and no `resource_metadata` in the challenge.
  var servesResourceMetadata = true
  /// No preflight answers and no `Access-Control-Allow-Origin`.
  var crossOrigin = true
  /// Builds URLs from `X-Forwarded-Proto` (true) or from the plain-http hop it sees (false).
  var trustsForwardedProto = true

  static let healthy = MisconfiguredDeployment()

  func application() -> some ApplicationProtocol {
    let setup = self
    return Application(
      responder: CallbackResponder<BasicRequestContext> { request, _ in
        setup.respond(to: request)
      },
      configuration: .init(address: .hostname("127.0.0.1", port: 0)))
  }

  private func respond(to request: Request) -> Response {
    let scheme =
      trustsForwardedProto
      ? (request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http") : "http"
    let base = "\(scheme)://\(request.head.authority ?? "")"
    let origin = request.headers[.origin]
    if request.method == .options {
      guard crossOrigin else { return Response(status: .notFound) }
      var headers = HTTPFields()
      headers[.accessControlAllowOrigin] = "*"
      headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
      headers[.accessControlAllowHeaders] = "Authorization, Content-Type, MCP-Protocol-Version"
      return Response(status: .noContent, headers: headers)
    }
    let metadataURL = base + "/.well-known/oauth-protected-resource/mcp"
    switch (request.method, request.uri.path) {
    case (.post, "/mcp"):
      var headers = HTTPFields()
      headers[.wwwAuthenticate] =
        servesResourceMetadata
        ? #"Bearer resource_metadata="\#(metadataURL)", scope="notes:read""#
        : #"Bearer scope="notes:read""#
      if crossOrigin, origin != nil {
        headers[.accessControlAllowOrigin] = "*"
        headers[.accessControlExposeHeaders] = "WWW-Authenticate"
      }
      return Response(status: .unauthorized, headers: headers)
    case (.get, "/.well-known/oauth-protected-resource/mcp") where servesResourceMetadata:
      return json(
        #"{"resource":"\#(base)/mcp","authorization_servers":["\#(base)"],"scopes_supported":["notes:read"]}"#,
        origin: origin)
    case (.get, "/.well-known/oauth-authorization-server"):
      let issuer = issuerSlash ? base + "/" : base
      return json(
        #"""
        {"issuer":"\#(issuer)","authorization_endpoint":"\#(base)/authorize",
         "token_endpoint":"\#(base)/token","registration_endpoint":"\#(base)/register",
         "jwks_uri":"\#(base)/jwks.json","response_types_supported":["code"],
         "code_challenge_methods_supported":["S256"],
         "token_endpoint_auth_methods_supported":["none","client_secret_post"],
         "client_id_metadata_document_supported":true}
        """#, origin: origin)
    default:
      return Response(status: .notFound)
    }
  }

  private func json(_ body: String, origin: String?) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    if crossOrigin, origin != nil { headers[.accessControlAllowOrigin] = "*" }
    return Response(
      status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }
}

/// A TLS-terminating proxy in front of a plain-http test server: the doctor asks for `https://`,
/// the request travels as `http://` with `X-Forwarded-Proto: https`, as nginx or Caddy send it.
struct TLSTerminatingTransport: RemoteTransport {
  var upstream: any RemoteTransport = URLSessionRemoteTransport()

  func send(_ request: RemoteRequest, maxBytes: Int, timeout: TimeInterval) async -> RemoteAnswer {
    var forwarded = request
    if var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false),
      components.scheme == "https"
    {
      components.scheme = "http"
      forwarded.url = components.url ?? request.url
      forwarded.headers["X-Forwarded-Proto"] = "https"
    }
    return await upstream.send(forwarded, maxBytes: maxBytes, timeout: timeout)
  }
}
