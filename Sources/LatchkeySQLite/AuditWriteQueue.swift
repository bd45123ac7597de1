import LatchkeyCore
import Synchronization

/// Group commit for audit appends.
///
/// Under `synchronous=FULL` every commit waits for an fsync, and the token endpoint appends one
/// audit event per request. Appends that arrive while another is being written wait (suspended,
/// not blocking a thread) and are then written together by one leader in one transaction, so N
/// concurrent requests cost one commit instead of N. Every caller still returns only after its
/// own event is committed: durability and the "audit before answer" order are unchanged. Each
/// leader writes one batch and hands the lead to the next waiter, so no caller drains the queue
/// for others indefinitely.
final class AuditWriteQueue: Sendable {
  private enum Wake: Sendable {
    case written(Int64)
    case lead
  }

  private struct Waiter: Sendable {
    let event: AuditEvent
    let continuation: CheckedContinuation<Wake, any Error>
  }

  private struct State: Sendable {
    var waiters: [Waiter] = []
    var writing = false
  }

  /// Most events one transaction carries.
  static let maximumBatch = 256

  private let state = Mutex(State())
  private let batches = Atomic<Int>(0)

  /// Transactions written so far (tests and diagnostics).
  var batchesWritten: Int { batches.load(ordering: .relaxed) }

  /// Appends `event` through `write` (which inserts events in order, in one transaction, and
  /// returns their ids), batched with concurrent appends.
  func append(
    _ event: AuditEvent, write: ([AuditEvent]) throws -> [Int64]
  ) async throws -> Int64 {
    let wake: Wake = try await withCheckedThrowingContinuation { continuation in
      let leads = state.withLock { state in
        if state.writing {
          state.waiters.append(Waiter(event: event, continuation: continuation))
          return false
        }
        state.writing = true
        return true
      }
      if leads { continuation.resume(returning: .lead) }
    }
    switch wake {
    case .written(let id): return id
    case .lead: return try lead(event, write: write)
    }
  }

  /// Writes `event` with the waiters queued so far, hands the lead on, then wakes the batch.
  private func lead(_ event: AuditEvent, write: ([AuditEvent]) throws -> [Int64]) throws -> Int64 {
    let others = state.withLock { state in
      let taken = Array(state.waiters.prefix(Self.maximumBatch - 1))
      state.waiters.removeFirst(taken.count)
      return taken
    }
    let result = Result { try write([event] + others.map(\.event)) }
    batches.add(1, ordering: .relaxed)
    let next = state.withLock { state -> Waiter? in
      guard !state.waiters.isEmpty else {
        state.writing = false
        return nil
      }
      return state.waiters.removeFirst()
    }
    next?.continuation.resume(returning: .lead)
    switch result {
    case .success(let ids):
      for (waiter, id) in zip(others, ids.dropFirst()) {
        waiter.continuation.resume(returning: .written(id))
      }
      return ids[0]
    case .failure(let error):
      for waiter in others { waiter.continuation.resume(throwing: error) }
      throw error
    }
  }
}
