import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Synchronization

/// The public keys of `private_key_jwt` clients (RFC 7523) and of upstream identity providers'
/// id_tokens: given inline (`Client.jwks`) or fetched from a `jwks_uri` through the fetcher,
/// cached for `lifetime`, and fetched again early (at most once per `refetchInterval`) when a
/// token names a key the cached set lacks, so a client or provider can rotate its keys.
final class ClientKeySets: Sendable {
  static let lifetime: TimeInterval = 300
  static let refetchInterval: TimeInterval = 30
  static let maximumBytes = 64 * 1024

  private let fetcher: any HTTPFetcher
  private let cache = Mutex<[String: (keys: [VerificationKey], fetchedAt: Date)]>([:])

  init(fetcher: any HTTPFetcher) {
    self.fetcher = fetcher
  }

  /// The client's keys; `kid`, when the assertion names one the cached set lacks, forces a
  /// fresh fetch unless one happened within `refetchInterval`. Empty when the client has none
  /// or its set cannot be read (the assertion then fails as `invalid_client`).
  func keys(of client: Client, kid: String?, at now: Date) async -> [VerificationKey] {
    if let inline = client.jwks { return Self.parse(Array(inline.utf8)) }
    guard let uri = client.jwksURI else { return [] }
    return await keys(uri: uri, kid: kid, at: now)
  }

  /// The keys of the JWK Set at `uri` (a client's `jwks_uri`, an upstream provider's), with the
  /// same caching and early refetch for an unknown `kid`.
  func keys(uri: String, kid: String?, at now: Date) async -> [VerificationKey] {
    guard let url = URL(string: uri) else { return [] }
    let cached = cache.withLock { $0[uri] }
    if let cached {
      let age = now.timeIntervalSince(cached.fetchedAt)
      let knowsKey = kid.map { kid in cached.keys.contains { $0.jwk.kid == kid } } ?? true
      if age < Self.lifetime, knowsKey || age < Self.refetchInterval { return cached.keys }
    }
    guard
      let response = try? await fetcher.get(url, maxBytes: Self.maximumBytes, timeout: 5),
      response.status == 200
    else { return cached?.keys ?? [] }
    let keys = Self.parse(response.body)
    cache.withLock { $0[uri] = (keys, now) }
    return keys
  }

  /// RFC 7517 §5: the usable public keys of a JWK Set (private members and unknown key types
  /// are refused by `VerificationKey`).
  static func parse(_ body: [UInt8]) -> [VerificationKey] {
    guard JSONDuplicateMemberRule.firstDuplicate(in: body) == nil,
      let set = try? JSONDecoder().decode(JWKS.self, from: Data(body))
    else { return [] }
    return set.keys.compactMap { try? VerificationKey(jwk: $0) }
  }
}
