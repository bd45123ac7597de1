import CoreMetrics

/// A hit/miss counter pair, `<name>{result="hit"|"miss"}`, created once.
struct CacheMetrics: Sendable {
  private let hits: Counter
  private let misses: Counter

  init(name: String, factory: any MetricsFactory) {
    hits = Counter(label: name, dimensions: [("result", "hit")], factory: factory)
    misses = Counter(label: name, dimensions: [("result", "miss")], factory: factory)
  }

  func record(hit: Bool) {
    (hit ? hits : misses).increment()
  }
}
