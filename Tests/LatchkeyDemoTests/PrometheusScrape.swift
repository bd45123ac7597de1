import Foundation

/// A Prometheus text-format scrape as `series → value`, where a series is written exactly as
/// the exposition writes it: `name{label="value",…}` (or just `name`).
struct PrometheusScrape {
  let text: String
  let values: [String: Double]

  init(_ text: String) {
    self.text = text
    var values: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      guard let space = line.lastIndex(of: " "),
        let value = Double(line[line.index(after: space)...])
      else { continue }
      values[String(line[..<space])] = value
    }
    self.values = values
  }

  subscript(_ series: String) -> Double? { values[series] }

  /// Names of every `# TYPE` line with its type.
  var types: [String: String] {
    var types: [String: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
      let parts = line.split(separator: " ")
      if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
    }
    return types
  }
}
