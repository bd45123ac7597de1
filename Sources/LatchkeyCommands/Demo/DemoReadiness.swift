import Foundation
import LatchkeyCore

/// Waits until a URL answers 200 with a body `identifies` accepts: the server behind it
/// listens, and it is this demo's. Stops at once with the servers' own error when `ending`
/// says they have stopped.
///
/// "It is this demo's": a port picked free can be bound by another process (another demo)
/// before this one binds it. This demo's server then fails with EADDRINUSE, but a probe that
/// took any answer as "ready" was answered by the other server, and the start returned a
/// runtime whose URLs led to someone else's demo. `identifies` lets the caller recognize its
/// own answer (the MCP server's metadata names this demo's issuer).
enum DemoReadiness {
  static func wait(
    for url: String, fetcher: any HTTPFetcher, ending: ServiceGroupEnding,
    timeout: Duration = .seconds(15), identifies: @Sendable ([UInt8]) -> Bool = { _ in true }
  ) async throws {
    guard let target = URL(string: url) else { throw DemoError.notListening(url) }
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let stopped = ending.ended { throw stopped }
      if let response = try? await fetcher.get(target, maxBytes: 1 << 20, timeout: 2),
        response.status == 200, identifies(response.body)
      {
        return
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw ending.ended ?? DemoError.notListening(url)
  }

  /// Whether `body` is protected resource metadata (RFC 9728 §3.2) of `resource` naming
  /// `issuer` among its authorization servers (read as `latchkey doctor` reads it).
  static func isResourceMetadata(_ body: [UInt8], resource: String, issuer: String) -> Bool {
    guard let document = MetadataDocument(json: body), document.string("resource") == resource
    else { return false }
    return document.strings("authorization_servers")?.contains(issuer) == true
  }
}
