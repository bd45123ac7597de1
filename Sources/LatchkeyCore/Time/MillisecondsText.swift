/// A duration in milliseconds as fixed-decimal text, rounded half up at the last decimal, written
/// without a Foundation formatter: log and audit lines write one per request.
public enum MillisecondsText {
  /// `duration` in milliseconds with `decimals` (1...6) decimals, as `String(format: "%.Nf")`
  /// prints it: `fixed(.microseconds(1_235), decimals: 3)` is `1.235`.
  public static func fixed(_ duration: Duration, decimals: Int) -> String {
    precondition((1...6).contains(decimals), "1 to 6 decimals")
    let (seconds, attoseconds) = duration.components
    let sign = seconds < 0 || attoseconds < 0 ? "-" : ""
    let step = power(of: 10, 15 - decimals)  // attoseconds per last decimal
    let steps = abs(seconds) * power(of: 10, 3 + decimals) + (abs(attoseconds) + step / 2) / step
    let scale = power(of: 10, decimals)
    let fraction = String(steps % scale)
    return sign + String(steps / scale) + "."
      + String(repeating: "0", count: decimals - fraction.count) + fraction
  }

  private static func power(of base: Int64, _ exponent: Int) -> Int64 {
    (0..<exponent).reduce(1) { product, _ in product * base }
  }
}
