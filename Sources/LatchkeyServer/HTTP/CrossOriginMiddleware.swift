import HTTPTypes
import Hummingbird

/// CORS for the authorization server's machine endpoints (Fetch Standard §3.2, the CORS
/// protocol), so browser-based MCP clients (the MCP Inspector's direct mode, web portals) can
/// discover, register and redeem codes.
///
/// Discovery documents and JWKS are public; `/register`, `/token`, `/revoke` and `/introspect`
/// are authenticated by PKCE and client credentials in the request, never by cookies. So every
/// origin is allowed (`*`) and `Access-Control-Allow-Credentials` is never sent: a browser then
/// sends no cookies and reads no response that depended on them. The `/authorize` pages are
/// navigations and get no CORS headers. Attached to the routes themselves (a router group), it
/// answers the `OPTIONS` preflight of those routes and adds the headers to their responses.
struct CrossOriginMiddleware: RouterMiddleware {
  typealias Context = LatchkeyRequestContext

  /// The methods the routes serve (listed in `Access-Control-Allow-Methods`).
  let methods: [HTTPRequest.Method]

  /// Request headers browser clients send: `MCP-Protocol-Version` on metadata fetches (the
  /// TypeScript SDK), `Authorization` for client credentials, `Content-Type` for JSON and forms.
  static let allowedHeaders = "Authorization, Content-Type, MCP-Protocol-Version"
  /// A browser may cache the preflight for a day.
  static let maximumAge = "86400"

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    if request.method == .options {
      var headers = HTTPFields()
      headers[.accessControlAllowOrigin] = "*"
      headers[.accessControlAllowMethods] =
        (methods + [.options]).map(\.rawValue).joined(separator: ", ")
      headers[.accessControlAllowHeaders] = Self.allowedHeaders
      headers[.accessControlMaxAge] = Self.maximumAge
      return Response(status: .noContent, headers: headers)
    }
    var response = try await next(request, context)
    response.headers[.accessControlAllowOrigin] = "*"
    response.headers[.accessControlExposeHeaders] = "WWW-Authenticate, Retry-After"
    return response
  }
}
