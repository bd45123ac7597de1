import HTTPTypes
import Hummingbird

/// Counts every request by route template, method and status, and times it
/// (`latchkey_http_requests_total`, `latchkey_http_request_duration_seconds`). The route is the
/// template the router matched, never the raw path, so unknown URLs share one `unmatched` series.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
  let metrics: ServerMetrics

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let started = ContinuousClock.now
    do {
      let response = try await next(request, context)
      record(request, context, status: response.status.code, started)
      return response
    } catch {
      let status = (error as? any HTTPResponseError)?.status.code ?? 500
      record(request, context, status: status, started)
      throw error
    }
  }

  private func record(
    _ request: Request, _ context: Context, status: Int, _ started: ContinuousClock.Instant
  ) {
    metrics.recordRequest(
      .init(route: context.endpointPath, method: request.method.rawValue, status: status),
      duration: ContinuousClock.now - started)
  }
}
