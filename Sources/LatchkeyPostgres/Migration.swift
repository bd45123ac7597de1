/// One forward-only schema step: the text of `migrations/postgres/NNNN_name.sql`.
struct Migration: Sendable, Equatable {
  let version: Int
  let name: String
  let sql: String
}
