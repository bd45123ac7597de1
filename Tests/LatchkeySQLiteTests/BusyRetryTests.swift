import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import MetricsTestKit
import Testing

@testable import LatchkeySQLite

/// The busy handler keeps SQLite's own back-off and counts each retry.
@Suite("SQLite busy retries")
struct BusyRetryTests {
  @Test(
    arguments: [
      (0, 5000, 1), (1, 5000, 2), (2, 5000, 5), (11, 5000, 100), (40, 5000, 100),
      // 228 ms slept before try 11; a 300 ms timeout leaves 72 ms, then nothing.
      (11, 300, 72), (12, 300, nil), (0, 0, nil),
    ] as [(Int, Int, Int?)])
  func delayFollowsSQLiteSchedule(count: Int, timeout: Int, expected: Int?) {
    #expect(BusyRetry.delay(try: count, timeoutMilliseconds: timeout) == expected)
  }

  @Test func aWriteWaitingForAnotherConnectionsLockIsRetriedAndCounted() async throws {
    let database = TemporaryDatabase("busy.sqlite")
    defer { database.remove() }
    let path = database.path
    let holder = try SQLiteStore(path: path)
    let metrics = TestMetrics()
    let waiter = try SQLiteStore(path: path, metricsFactory: metrics)
    let locked = DispatchSemaphore(value: 0)
    let release = Thread {
      try? holder.write("hold") { _ in
        locked.signal()
        Thread.sleep(forTimeInterval: 0.3)
      }
    }
    release.start()
    locked.wait()
    let now = Date()
    try await waiter.insertUser(Fixtures.user(id: "u-busy", at: now))
    #expect(try await waiter.user(id: "u-busy") != nil)
    let retries = try metrics.expectCounter("latchkey_sqlite_busy_retries_total").totalValue
    #expect(retries > 0)
    #expect(try metrics.expectCounter("latchkey_sqlite_busy_timeouts_total").totalValue == 0)
    try holder.close()
    try waiter.close()
  }

  @Test func aLockHeldPastTheTimeoutIsUnavailableAndCountedAsATimeout() async throws {
    let database = TemporaryDatabase("busy.sqlite")
    defer { database.remove() }
    let path = database.path
    let holder = try SQLiteStore(path: path)
    let metrics = TestMetrics()
    let waiter = try SQLiteStore(
      path: path, configuration: SQLiteConfiguration(busyTimeout: 0.1), metricsFactory: metrics)
    let locked = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    let release = Thread {
      try? holder.write("hold") { _ in
        locked.signal()
        Thread.sleep(forTimeInterval: 0.6)
      }
      done.signal()
    }
    release.start()
    locked.wait()
    await #expect(throws: StoreError.self) {
      try await waiter.insertUser(Fixtures.user(id: "u-late", at: Date()))
    }
    done.wait()
    #expect(try metrics.expectCounter("latchkey_sqlite_busy_timeouts_total").totalValue == 1)
    #expect(try metrics.expectCounter("latchkey_sqlite_busy_retries_total").totalValue > 0)
    try holder.close()
    try waiter.close()
  }
}
