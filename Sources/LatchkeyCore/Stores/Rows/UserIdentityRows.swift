import Foundation

// The `user_identities` row, decoded once for every SQL store (`ColumnReader`).

extension UserIdentity {
  /// Storage form of `groups`: joined with a space; a group holding whitespace or control
  /// characters cannot be mapped to scopes anyway, so it is not stored.
  package static func storedText(_ groups: [String]) -> String {
    groups.filter { group in
      !group.isEmpty
        && group.unicodeScalars.allSatisfy {
          !$0.properties.isWhitespace && $0.value >= 0x20 && $0.value != 0x7F
        }
    }.joined(separator: " ")
  }

  @inlinable package static func groups(storedText text: String) -> [String] {
    text.split(separator: " ").map(String.init)
  }

  @inlinable package init(columns row: some ColumnReader) throws {
    self.init(
      provider: try row.text("provider"), subject: try row.text("subject"),
      userID: try row.text("user_id"), createdAt: try row.date("created_at"),
      groups: UserIdentity.groups(storedText: try row.text("groups")))
  }
}
