import Foundation
import LatchkeyCore
import Logging
import ServiceLifecycle

/// What one housekeeping pass removed.
public struct HousekeepingReport: Sendable, Equatable {
  public var expiredCodes: Int
  public var expiredRefreshTokens: Int
  public var idleClients: [String]
  /// Token vault records of revoked or expired grants, and pending records whose interaction
  /// never issued a code.
  public var upstreamTokens: Int = 0
}

/// Periodic clean-up while the server runs: expired codes and refresh tokens, and dynamically
/// registered clients unused for `registration.idle_expiry` that hold no live grant, and token
/// vault records nothing can use any more.
struct Housekeeping: Service {
  let store: any LatchkeyStore
  let clock: any WallClock
  let idleExpiry: TimeInterval
  let interval: Duration
  /// Expired rows are kept this long after expiry before they are deleted.
  var retention: TimeInterval = 86_400
  let logger: Logger

  /// One pass; also used by tests and by `latchkey` maintenance commands.
  func runOnce() async throws -> HousekeepingReport {
    let now = clock.now()
    // Keep expired rows a while (a day by default) so operators can inspect recent failures.
    let cutoff = now.addingTimeInterval(-retention)
    // Upstream tokens are secrets: no retention once nothing can use them.
    let report = HousekeepingReport(
      expiredCodes: try await store.deleteExpiredCodes(before: cutoff),
      expiredRefreshTokens: try await store.deleteExpiredRefreshTokens(before: cutoff),
      idleClients: try await store.deleteIdleDynamicClients(
        idleSince: now.addingTimeInterval(-idleExpiry), now: now),
      upstreamTokens: try await store.purgeUpstreamTokens(
        pendingCreatedBefore: now.addingTimeInterval(
          -AuthorizationServer.pendingUpstreamTokenLifetime), now: now))
    // State kept in the database (PostgreSQL) is pruned here; in process it sweeps itself.
    if let ephemeral = store as? any EphemeralStateStore {
      try await ephemeral.pruneEphemeralState(at: now)
    }
    for id in report.idleClients {
      try await store.appendAudit(
        AuditEvent(
          time: now, type: "client.expired", outcome: .success, clientID: id,
          detail: "idle dynamic registration removed"))
    }
    return report
  }

  func run() async throws {
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      do {
        let report = try await runOnce()
        logger.debug(
          "housekeeping",
          metadata: [
            "codes": "\(report.expiredCodes)", "refresh_tokens": "\(report.expiredRefreshTokens)",
            "idle_clients": "\(report.idleClients.count)",
          ])
      } catch {
        logger.warning("housekeeping failed", metadata: ["error": "\(type(of: error))"])
      }
      // Graceful shutdown (SIGTERM, or the end of a test) interrupts the wait at once.
      do {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
      } catch {
        return
      }
    }
  }
}
