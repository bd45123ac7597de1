import HTTPTypes
import Hummingbird
import LatchkeyCore
import Logging
import NIOCore

/// Gives every request an id and logs one line when it completes.
///
/// The id is the caller's `X-Request-Id` when it is a sane token (1–128 characters of
/// `A-Z a-z 0-9 . _ -`, e.g. set by nginx or Caddy), else a fresh one (`GeneratedRequestID`:
/// unique, not secret). It goes into the request logger's metadata as `request_id`, replacing
/// Hummingbird's `hb.request.id` so a line carries one id, and is echoed in the response. The
/// log line has the method, the path **without its query** (queries of `/authorize` redirects
/// carry codes), the status and the duration; never headers or bodies.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
  static var headerName: HTTPField.Name? { HTTPField.Name("X-Request-Id") }

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let started = ContinuousClock.now
    RequestActivity.note()
    var context = context
    let id =
      Self.headerName.flatMap { request.headers[$0] }.flatMap(Self.accepted)
      ?? GeneratedRequestID.next()
    context.logger[metadataKey: Self.hummingbirdIDKey] = nil
    context.logger[metadataKey: "request_id"] = .string(id)
    let logger = context.logger
    var response: Response
    do {
      response = try await next(request, context)
    } catch {
      Self.log(logger, request, status: (error as? any HTTPResponseError)?.status, started)
      throw error
    }
    if let name = Self.headerName { response.headers[name] = id }
    Self.log(logger, request, status: response.status, started)
    return response
  }

  static func log(
    _ logger: Logger, _ request: Request, status: HTTPResponse.Status?,
    _ started: ContinuousClock.Instant
  ) {
    guard logger.logLevel <= .info else { return }
    logger.info(
      "request",
      metadata: [
        "method": .string(request.method.rawValue),
        "path": .string(request.uri.path),
        "status": .string(String(status?.code ?? 500)),
        "duration_ms": .string(milliseconds(ContinuousClock.now - started)),
      ])
  }

  /// Milliseconds with at most two decimals, trailing zeros dropped (`0.8`, `1.24`, `12.0`):
  /// the form the log line always had, written from integer hundredths (rounded half up)
  /// without `Double` formatting or string suffix checks.
  static func milliseconds(_ elapsed: Duration) -> String {
    let (seconds, attoseconds) = max(elapsed, .zero).components
    let hundredthsOfMillisecond: Int64 = 10_000_000_000_000
    let hundredths =
      seconds * 100_000 + (attoseconds + hundredthsOfMillisecond / 2) / hundredthsOfMillisecond
    let whole = String(hundredths / 100)
    let (tenths, last) = ((hundredths % 100) / 10, hundredths % 10)
    if last == 0 { return whole + "." + String(tenths) }
    return whole + "." + String(tenths) + String(last)
  }

  static func accepted(_ value: String) -> String? {
    guard (1...128).contains(value.utf8.count),
      value.utf8.allSatisfy({ byte in
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
          || (0x61...0x7A).contains(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D
      })
    else { return nil }
    return value
  }

  /// Where Hummingbird puts its id for the request in the request logger's metadata.
  static var hummingbirdIDKey: String { "hb.request.id" }
}
