import HTTPTypes
import Hummingbird
import LatchkeyCore

/// Replaces the source address with the forwarded client address when the socket peer is one of
/// the configured `trusted_proxies` (see `ClientAddressRule`). The issuer and resource URLs
/// never come from request headers.
struct ForwardedForMiddleware: RouterMiddleware {
  typealias Context = LatchkeyRequestContext
  let trusted: Set<String>

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var context = context
    let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!]
    context.sourceAddress = ClientAddressRule.resolve(
      peer: context.remoteAddress?.ipAddress, forwardedFor: forwarded, trusted: trusted)
    return try await next(request, context)
  }
}
