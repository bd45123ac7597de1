import Foundation
import LatchkeyCore
import Synchronization
import Testing

@testable import LatchkeyPostgres

/// The PostgreSQL store's operation deadline answers even when the operation ignores
/// cancellation (a query in flight when the database vanished), so a request gets its 503
/// instead of hanging.
@Suite struct DeadlineTests {
  struct TimedOut: Error {}

  /// Set when the slow body finally ends.
  final class Flag: Sendable {
    private let raised = Atomic(false)
    func raise() { raised.store(true, ordering: .sequentiallyConsistent) }
    var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
  }

  /// Waits without looking at cancellation, like a query on a dead connection.
  static func uncancellableWait(seconds: Double, then finished: Flag) async -> Int {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
        finished.raise()
        continuation.resume(returning: 7)
      }
    }
  }

  @Test func theDeadlineAnswersBeforeABodyThatIgnoresCancellation() async throws {
    let finished = Flag()
    await #expect(throws: TimedOut.self) {
      try await raceAgainstDeadline(
        timeout: .milliseconds(100), onTimeout: { TimedOut() },
        operation: { await Self.uncancellableWait(seconds: 3, then: finished) })
    }
    #expect(!finished.isRaised)
  }

  @Test func aBodyThatAnswersInTimeWinsAndItsErrorsPassThrough() async throws {
    let value = try await raceAgainstDeadline(
      timeout: .seconds(30), onTimeout: { TimedOut() }, operation: { 42 })
    #expect(value == 42)
    await #expect(throws: StoreError.self) {
      try await raceAgainstDeadline(
        timeout: .seconds(30), onTimeout: { TimedOut() },
        operation: { () async throws -> Int in throw StoreError.conflict("x") })
    }
  }

  @Test func cancellingTheCallerAnswersAtOnce() async throws {
    let finished = Flag()
    let task = Task {
      try await raceAgainstDeadline(
        timeout: .seconds(30), onTimeout: { TimedOut() },
        operation: { await Self.uncancellableWait(seconds: 3, then: finished) })
    }
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(!finished.isRaised)
  }
}
