/// An aligned plain-text table: the human form of every listing.
struct Table {
  let headers: [String]
  var rows: [[String]] = []

  init(_ headers: [String]) {
    self.headers = headers
  }

  mutating func append(_ row: [String]) {
    rows.append(row)
  }

  /// Columns padded to their widest cell and separated by two spaces; no trailing spaces.
  func rendered() -> String {
    let all = [headers] + rows
    var widths = [Int](repeating: 0, count: headers.count)
    for row in all {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    return all.map { row in
      var line = ""
      for (index, cell) in row.enumerated() where index < widths.count {
        let isLast = index == row.count - 1 || index == widths.count - 1
        line +=
          isLast ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
      }
      return line
    }.joined(separator: "\n")
  }
}
