public import Foundation

/// The configuration keys a markdown page documents, read from its tables, so a test can compare
/// them with the keys a decoder accepts.
public enum DocumentedKeys {
  /// Every key path in the tables whose first header cell starts with "key": the first
  /// backticked word of each row's first cell, under the first backticked word of the heading
  /// above the table (`## \`tokens\`` → `tokens.access_token`; a heading without one, such as
  /// "Top level", adds nothing). Fenced code blocks are skipped.
  public static func parse(markdown: String) -> Set<String> {
    var keys: Set<String> = []
    var prefix = ""
    var inCode = false
    var inKeyTable = false
    var previousWasTable = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("```") { inCode.toggle() }
      if inCode || text.hasPrefix("```") {
        previousWasTable = false
        continue
      }
      if text.hasPrefix("#") {
        prefix = firstBackticked(text) ?? ""
      }
      guard text.hasPrefix("|") else {
        previousWasTable = false
        continue
      }
      let cells = text.split(separator: "|", omittingEmptySubsequences: false).dropFirst()
      let first = cells.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
      if !previousWasTable {
        inKeyTable = first.lowercased().hasPrefix("key")
      } else if inKeyTable, !first.hasPrefix("-"), let key = firstBackticked(first) {
        keys.insert(prefix.isEmpty ? key : prefix + "." + key)
      }
      previousWasTable = true
    }
    return keys
  }

  /// The text between the first pair of backticks, if any.
  static func firstBackticked(_ text: String) -> String? {
    let parts = text.split(separator: "`", omittingEmptySubsequences: false)
    guard parts.count >= 3, !parts[1].isEmpty else { return nil }
    return String(parts[1])
  }

  /// The repository's root: the nearest folder above `filePath` that holds `docs/`.
  public static func root(filePath: String = #filePath) throws -> URL {
    var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("docs").path) {
      guard directory.path != "/" else { throw CocoaError(.fileNoSuchFile) }
      directory.deleteLastPathComponent()
    }
    return directory
  }

  /// The contents of `docs/<name>`.
  public static func document(_ name: String, filePath: String = #filePath) throws -> String {
    try String(
      contentsOf: root(filePath: filePath).appendingPathComponent("docs")
        .appendingPathComponent(name),
      encoding: .utf8)
  }
}
