import Foundation
import LatchkeyCore
import Synchronization

/// Resolves https `client_id`s through their client ID metadata documents
/// (draft-ietf-oauth-client-id-metadata-document; MCP "Client ID Metadata Documents").
///
/// A valid document becomes (or refreshes) a client row of origin `metadata_document`, so the
/// token endpoint, grants and consent treat it like any client. Successful fetches are cached
/// for the document's `Cache-Control: max-age`, clamped to [`minimumCache`, `maximumCache`];
/// failures and `no-store` answers are never cached (CIMD §Metadata Caching).
final class MetadataDocumentClients: Sendable {
  let fetcher: any HTTPFetcher
  let policy: RegistrationPolicy
  let store: any ClientStore
  let minimumCache: TimeInterval = 60
  let maximumCache: TimeInterval = 86_400
  let timeout: TimeInterval = 5
  private let fetchedUntil = Mutex<[String: Date]>([:])

  init(fetcher: any HTTPFetcher, policy: RegistrationPolicy, store: any ClientStore) {
    self.fetcher = fetcher
    self.policy = policy
    self.store = store
  }

  /// The client for a metadata-document `client_id`, or the reason it cannot be used.
  func client(id: String, at now: Date) async throws -> Result<Client, OAuthError> {
    guard policy.metadataDocumentsEnabled else {
      return .failure(OAuthError(.invalidClient, "Metadata document clients are not accepted."))
    }
    if let problem = ClientIDMetadataDocumentRule.validateClientIDURL(id) {
      return .failure(
        OAuthError(.invalidClient, "The client_id URL is not acceptable: \(problem)."))
    }
    guard let url = URL(string: id), let host = url.host?.lowercased(), isAllowed(host: host) else {
      return .failure(OAuthError(.invalidClient, "Clients from this host are not accepted."))
    }
    let cachedUntil = fetchedUntil.withLock { $0[id] }
    if let cachedUntil, now < cachedUntil, let stored = try await store.client(id: id) {
      return .success(stored)
    }
    let response: HTTPFetchResponse
    do {
      response = try await fetcher.get(
        url, maxBytes: ClientIDMetadataDocumentRule.maximumDocumentBytes, timeout: timeout)
    } catch let error as HTTPFetchError {
      return .failure(
        OAuthError(.invalidClient, "The client metadata document could not be fetched (\(error))."))
    }
    guard response.status == 200 else {
      return .failure(
        OAuthError(
          .invalidClient, "The client metadata document answered HTTP \(response.status)."))
    }
    switch ClientIDMetadataDocumentRule.client(from: response.body, url: id, at: now) {
    case .failure(let error):
      return .failure(error)
    case .success(var client):
      if let existing = try await store.client(id: id) {
        client.createdAt = existing.createdAt
        client.lastUsedAt = existing.lastUsedAt
        if client != existing { try await store.updateClient(client) }
      } else {
        do {
          try await store.insertClient(client)
        } catch StoreError.conflict {
          try await store.updateClient(client)  // a concurrent first fetch won the insert
        }
      }
      if let lifetime = cacheLifetime(response.headers["cache-control"]) {
        fetchedUntil.withLock { cache in
          if cache.count > 10_000 { cache = cache.filter { now < $0.value } }
          cache[id] = now.addingTimeInterval(lifetime)
        }
      }
      return .success(client)
    }
  }

  /// Allow list first (when set, only those hosts), then the deny list.
  func isAllowed(host: String) -> Bool {
    let allow = policy.metadataDocumentAllowHosts.map { $0.lowercased() }
    let deny = policy.metadataDocumentDenyHosts.map { $0.lowercased() }
    if !allow.isEmpty, !allow.contains(host) { return false }
    return !deny.contains(host)
  }

  /// RFC 9111 §5.2.2: `no-store`/`no-cache` → not cached; `max-age=N` → N clamped; otherwise the
  /// minimum.
  func cacheLifetime(_ header: String?) -> TimeInterval? {
    let directives = (header ?? "").lowercased().split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    if directives.contains("no-store") || directives.contains("no-cache") { return nil }
    let maxAge = directives.lazy.compactMap { directive -> TimeInterval? in
      guard directive.hasPrefix("max-age=") else { return nil }
      return TimeInterval(directive.dropFirst("max-age=".count))
    }.first
    return min(max(maxAge ?? minimumCache, minimumCache), maximumCache)
  }
}
