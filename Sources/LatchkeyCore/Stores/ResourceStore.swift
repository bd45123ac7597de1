/// Protected resources (MCP servers) that tokens can be issued for.
public protocol ResourceStore: Sendable {
  /// Inserts or replaces the resource with this URL.
  func upsertResource(_ resource: Resource) async throws
  func resource(url: String) async throws -> Resource?
  func resources() async throws -> [Resource]
  /// `StoreError.notFound` when absent.
  func deleteResource(url: String) async throws
}
