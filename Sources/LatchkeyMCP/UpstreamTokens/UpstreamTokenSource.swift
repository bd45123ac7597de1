public import Foundation

/// An identity provider's access token for the user a request acts for, from Latchkey's token
/// vault (docs/identity-providers.md, "The upstream token"). It is the provider's token, for
/// calling the provider's API (GitHub, Google, …) on the user's behalf — never Latchkey's own
/// token passed on (MCP "Token Passthrough"). Never log it.
public struct UpstreamAccessToken: Sendable, Equatable {
  /// The provider's `id` in Latchkey's `identity_providers`.
  public var provider: String
  public var accessToken: String
  /// `Bearer` unless the provider said otherwise.
  public var tokenType: String
  /// What the provider granted, when it said.
  public var scope: String?
  /// When it expires, when the provider said (Latchkey refreshes it before it does).
  public var expiresAt: Date?

  public init(
    provider: String, accessToken: String, tokenType: String = "Bearer", scope: String? = nil,
    expiresAt: Date? = nil
  ) {
    self.provider = provider
    self.accessToken = accessToken
    self.tokenType = tokenType
    self.scope = scope
    self.expiresAt = expiresAt
  }
}

/// Why no upstream token came back.
public enum UpstreamTokenUnavailable: Error, Equatable, Sendable {
  /// The user did not sign in through a provider that keeps tokens, or the grant has none.
  case noUpstreamToken
  /// The provider refused to refresh (the user revoked the app there): they must sign in again.
  case refreshFailed
  /// The sealed token does not open (the vault key was removed).
  case unreadable
  /// The authorization server could not be asked, or refused this server as a reader.
  case authorizationServerUnavailable
  /// The Latchkey token itself is no longer active.
  case inactiveToken
}

/// Where a resource server gets upstream tokens: ``RemoteUpstreamTokenSource`` asks Latchkey's
/// `POST /upstream-token`; tests and in-process servers may provide their own.
public protocol UpstreamTokenSource: Sendable {
  /// The upstream token behind `bearer`, the Latchkey access token `identity` was verified
  /// from.
  func upstreamToken(bearer: String, identity: VerifiedIdentity)
    async throws(UpstreamTokenUnavailable)
    -> UpstreamAccessToken
}

/// What a ``VerifiedIdentity`` carries to fetch its upstream token: the source and the bearer
/// token it was verified from. Not part of the identity's value: every accessor compares equal,
/// hashes to nothing and is never encoded, so identities stay comparable and the bearer token
/// is never serialized.
public struct UpstreamTokenAccessor: Sendable, Hashable {
  let source: any UpstreamTokenSource
  let bearer: String

  public init(source: any UpstreamTokenSource, bearer: String) {
    self.source = source
    self.bearer = bearer
  }

  public static func == (lhs: Self, rhs: Self) -> Bool { true }
  public func hash(into hasher: inout Hasher) {}
}

extension VerifiedIdentity {
  /// The identity provider's access token for this user (the token vault), fetched — and,
  /// when it is about to expire, refreshed by Latchkey — on each call. Available when the
  /// middleware was given an ``UpstreamTokenSource`` and the user signed in through a
  /// provider with `keep_upstream_tokens`.
  /// - Throws: ``UpstreamTokenUnavailable``.
  public func upstreamToken() async throws(UpstreamTokenUnavailable) -> UpstreamAccessToken {
    guard let upstream else { throw .noUpstreamToken }
    return try await upstream.source.upstreamToken(bearer: upstream.bearer, identity: self)
  }
}
