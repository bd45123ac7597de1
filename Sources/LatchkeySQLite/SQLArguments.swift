import GRDB
import LatchkeyCore

/// Statement arguments that remember whether a text value holds a NUL.
///
/// GRDB binds text with `sqlite3_bind_text(…, -1, …)`, which reads a C string: `abc\0x` is
/// bound as `abc`, so a lookup keyed by it would find the row `abc` (issue 21 part 3). Every
/// statement of this store goes through `Database.row`, `rows` and `run` with these arguments:
/// a read with such a value finds nothing, a write refuses it (`StoreError.corrupt`, since
/// storing it would truncate). The server refuses control characters at the edge first
/// (`ControlCharacterRule`); this is the store's own guarantee.
struct SQLArguments: ExpressibleByArrayLiteral {
  private(set) var statementArguments: StatementArguments
  /// Whether a text value holds U+0000.
  private(set) var holdsNUL: Bool

  init(_ values: [(any DatabaseValueConvertible)?]) {
    statementArguments = StatementArguments(values)
    holdsNUL = values.contains { value in
      guard let text = value as? String else { return false }
      return text.utf8.contains(0)
    }
  }

  init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
    self.init(elements)
  }

  static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments {
    var sum = lhs
    sum += rhs
    return sum
  }

  static func += (lhs: inout SQLArguments, rhs: SQLArguments) {
    lhs.statementArguments += rhs.statementArguments
    lhs.holdsNUL = lhs.holdsNUL || rhs.holdsNUL
  }
}
