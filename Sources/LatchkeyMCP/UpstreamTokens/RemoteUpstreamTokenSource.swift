public import Foundation
public import LatchkeyCore
import LatchkeyJOSE
public import Logging
import Synchronization

/// Asks Latchkey's `POST /upstream-token` (an RFC 7662-style endpoint) for the upstream token
/// behind a Latchkey access token, authenticated with HTTP Basic as a confidential client
/// listed in the authorization server's `token_vault.readers` for this resource. Answers are
/// reused until 30 s before the upstream token expires (at most `cacheDuration`), keyed by the
/// SHA-256 of the Latchkey token.
public final class RemoteUpstreamTokenSource: UpstreamTokenSource {
  public let endpoint: URL
  private let authorization: String
  private let fetcher: any HTTPFetcher
  private let clock: any WallClock
  private let cacheDuration: TimeInterval
  private let timeout: TimeInterval
  private let logger: Logger
  private let cache = Mutex<[[UInt8]: (UpstreamAccessToken, Date)]>([:])

  static let maximumAnswerBytes = 64 * 1024
  static let capacity = 10_000

  /// - Parameters:
  ///   - endpoint: `<issuer>/upstream-token`.
  ///   - clientID: this resource server's client id at Latchkey (a `token_vault.readers` entry).
  ///   - clientSecret: its secret.
  ///   - fetcher: outbound HTTP (`URLSessionHTTPFetcher` from `LatchkeyFetch` in production).
  ///   - clock: the time source for the cache.
  ///   - cacheDuration: the longest an answer is reused (default 10 s, so a revoked grant's
  ///     upstream token is handed out at most that long after; 0 disables).
  ///   - timeout: how long one request may take before the token counts as unavailable.
  ///   - logger: failures are logged without tokens.
  public init(
    endpoint: URL, clientID: String, clientSecret: String, fetcher: any HTTPFetcher,
    clock: any WallClock = SystemClock(), cacheDuration: TimeInterval = 10,
    timeout: TimeInterval = 5, logger: Logger = Logger(label: "latchkey.mcp.upstream-token")
  ) {
    self.endpoint = endpoint
    self.authorization = IntrospectionAccessTokenVerifier.basicAuthorization(
      clientID: clientID, secret: clientSecret)
    self.fetcher = fetcher
    self.clock = clock
    self.cacheDuration = max(0, cacheDuration)
    self.timeout = timeout
    self.logger = logger
  }

  public func upstreamToken(bearer: String, identity: VerifiedIdentity)
    async throws(UpstreamTokenUnavailable) -> UpstreamAccessToken
  {
    let now = clock.now()
    let digest = Digest.sha256(bearer)
    if let (token, until) = cache.withLock({ $0[digest] }), now < until { return token }
    let body = "token=" + Self.formEncode(bearer)
    let response: HTTPFetchResponse
    do {
      response = try await fetcher.post(
        endpoint, body: Array(body.utf8),
        headers: [
          "authorization": authorization, "content-type": "application/x-www-form-urlencoded",
          "accept": "application/json",
        ], maxBytes: Self.maximumAnswerBytes, timeout: timeout)
    } catch {
      logger.warning("upstream token endpoint unreachable")
      throw .authorizationServerUnavailable
    }
    guard response.status == 200,
      let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
    else {
      logger.warning("upstream token endpoint refused", metadata: ["status": "\(response.status)"])
      throw .authorizationServerUnavailable
    }
    guard answer.active, let accessToken = answer.accessToken, !accessToken.isEmpty,
      let provider = answer.provider
    else {
      switch answer.reason {
      case "upstream_refresh_failed": throw .refreshFailed
      case "upstream_token_unreadable": throw .unreadable
      case "no_upstream_token": throw .noUpstreamToken
      default: throw .inactiveToken
      }
    }
    let expiresAt = answer.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) }
    let token = UpstreamAccessToken(
      provider: provider, accessToken: accessToken, tokenType: answer.tokenType ?? "Bearer",
      scope: answer.scope, expiresAt: expiresAt)
    let until = min(
      now.addingTimeInterval(cacheDuration),
      expiresAt?.addingTimeInterval(-30) ?? .distantFuture)
    if until > now {
      cache.withLock { entries in
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[digest] = (token, until)
      }
    }
    return token
  }

  struct Answer: Decodable {
    var active: Bool
    var accessToken: String?
    var tokenType: String?
    var expiresIn: Int64?
    var scope: String?
    var provider: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
      case active, scope, provider, reason
      case accessToken = "access_token"
      case tokenType = "token_type"
      case expiresIn = "expires_in"
    }
  }

  /// `application/x-www-form-urlencoded` value encoding (unreserved characters kept).
  static func formEncode(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }
}
