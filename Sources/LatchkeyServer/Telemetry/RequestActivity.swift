import Synchronization

/// How many requests the process has started: one relaxed atomic add per request
/// (`RequestLogMiddleware`), read by `MemoryReturn` to see when the load has stopped.
enum RequestActivity {
  private static let counter = Atomic<Int>(0)

  static func note() { counter.add(1, ordering: .relaxed) }

  static var count: Int { counter.load(ordering: .relaxed) }
}
