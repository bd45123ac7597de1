public import Foundation
public import LatchkeyCore
import LatchkeyJOSE
public import Logging
import Synchronization

/// Verifies opaque (or any) access tokens by asking the authorization server (RFC 7662).
///
/// The token is POSTed as a form to the introspection endpoint with HTTP Basic client
/// authentication (RFC 7662 §2.1, RFC 6749 §2.3.1); the answer is judged by
/// `IntrospectionAnswer.identity`. Positive answers are reused for `positiveCacheDuration`
/// (never past the token's `exp`), negative ones for `negativeCacheDuration`, both keyed by the
/// SHA-256 of the token. An AS that cannot be asked (down, 5xx, or refusing our credentials)
/// gives `.keysUnavailable` → 503, so clients keep their tokens.
public final class IntrospectionAccessTokenVerifier: AccessTokenVerifier {
  public let endpoint: URL
  public let issuer: String
  public let resource: String
  private let authorization: String
  private let fetcher: any HTTPFetcher
  private let clock: any WallClock
  private let leeway: Int64
  private let positiveCacheDuration: TimeInterval
  private let negativeCacheDuration: TimeInterval
  private let timeout: TimeInterval
  private let capacity: Int
  private let logger: Logger
  private let positive = Mutex<[[UInt8]: (VerifiedIdentity, Date)]>([:])
  private let negative = Mutex<[[UInt8]: (TokenRejection, Date)]>([:])
  private let requests = Atomic<Int>(0)

  /// Introspection answers are small; anything larger is refused.
  static let maximumAnswerBytes = 64 * 1024

  /// - Parameters:
  ///   - endpoint: the authorization server's RFC 7662 introspection endpoint.
  ///   - clientID: this resource server's client id at the authorization server.
  ///   - clientSecret: its secret, sent with HTTP Basic (RFC 6749 §2.3.1).
  ///   - issuer: the expected `iss` of active answers (when present).
  ///   - resource: this resource's URL, which `aud` must contain.
  ///   - fetcher: outbound HTTP (`URLSessionHTTPFetcher` from `LatchkeyFetch` in production).
  ///   - clock: the time source for `exp`/`nbf` and the caches.
  ///   - leeway: allowed clock skew in seconds for `exp` and `nbf`.
  ///   - positiveCacheDuration: how long an active answer is reused (default 30 s; 0 disables).
  ///   - negativeCacheDuration: how long an inactive answer is reused (default 5 s).
  ///   - cacheCapacity: the most answers each cache keeps.
  ///   - timeout: how long one introspection request may take before the answer is 503.
  ///   - logger: failures are logged without tokens.
  public init(
    endpoint: URL, clientID: String, clientSecret: String, issuer: String, resource: String,
    fetcher: any HTTPFetcher, clock: any WallClock = SystemClock(), leeway: Int64 = 30,
    positiveCacheDuration: TimeInterval = 30, negativeCacheDuration: TimeInterval = 5,
    cacheCapacity: Int = 10_000, timeout: TimeInterval = 5,
    logger: Logger = Logger(label: "latchkey.mcp.introspection")
  ) {
    self.endpoint = endpoint
    self.issuer = issuer
    self.resource = resource
    self.authorization = Self.basicAuthorization(clientID: clientID, secret: clientSecret)
    self.fetcher = fetcher
    self.clock = clock
    self.leeway = leeway
    self.positiveCacheDuration = max(0, positiveCacheDuration)
    self.negativeCacheDuration = max(0, negativeCacheDuration)
    self.capacity = max(0, cacheCapacity)
    self.timeout = timeout
    self.logger = logger
  }

  /// Requests sent to the introspection endpoint so far.
  public var introspectionRequests: Int { requests.load(ordering: .relaxed) }

  public func verify(_ token: String) async throws(TokenRejection) -> VerifiedIdentity {
    let now = clock.now()
    let digest = Digest.sha256(token)
    if let identity = Self.lookup(positive, digest, now: now) { return identity }
    if let rejection = Self.lookup(negative, digest, now: now) { throw rejection }
    let answer = try await ask(token)
    switch answer.identity(
      issuer: issuer, resource: resource, now: now, leeway: leeway,
      fallbackExpiry: now.addingTimeInterval(positiveCacheDuration))
    {
    case .success(let identity):
      let until = min(now.addingTimeInterval(positiveCacheDuration), identity.expiresAt)
      if positiveCacheDuration > 0 { store(positive, digest, identity, until: until, now: now) }
      return identity
    case .failure(let rejection):
      if negativeCacheDuration > 0 {
        store(
          negative, digest, rejection, until: now.addingTimeInterval(negativeCacheDuration),
          now: now)
      }
      throw rejection
    }
  }

  private func ask(_ token: String) async throws(TokenRejection) -> IntrospectionAnswer {
    requests.add(1, ordering: .relaxed)
    let body = "token=\(Self.formEncode(token))&token_type_hint=access_token"
    let response: HTTPFetchResponse
    do {
      response = try await fetcher.post(
        endpoint, body: Array(body.utf8),
        headers: [
          "Authorization": authorization, "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
        ], maxBytes: Self.maximumAnswerBytes, timeout: timeout)
    } catch {
      logger.warning("introspection failed", metadata: ["error": "\(error)"])
      throw .keysUnavailable
    }
    guard response.status == 200 else {
      // 401/403: our client credentials are wrong — an operator problem, not the caller's.
      logger.warning("introspection refused", metadata: ["status": "\(response.status)"])
      throw .keysUnavailable
    }
    do {
      return try JSONDecoder().decode(IntrospectionAnswer.self, from: Data(response.body))
    } catch {
      logger.warning("introspection answer unreadable")
      throw .keysUnavailable
    }
  }

  private static func lookup<Value: Sendable>(
    _ cache: borrowing Mutex<[[UInt8]: (Value, Date)]>, _ digest: [UInt8], now: Date
  ) -> Value? {
    cache.withLock { entries in
      guard let (value, until) = entries[digest] else { return nil }
      if until <= now {
        entries[digest] = nil
        return nil
      }
      return value
    }
  }

  private func store<Value: Sendable>(
    _ cache: borrowing Mutex<[[UInt8]: (Value, Date)]>, _ digest: [UInt8], _ value: Value,
    until: Date, now: Date
  ) {
    guard capacity > 0, until > now else { return }
    cache.withLock { entries in
      if entries.count >= capacity, entries[digest] == nil {
        entries = entries.filter { $0.value.1 > now }
        while entries.count >= capacity, let victim = entries.keys.randomElement() {
          entries[victim] = nil
        }
      }
      entries[digest] = (value, until)
    }
  }

  /// RFC 6749 §2.3.1: `Basic base64(urlencode(id) ":" urlencode(secret))`.
  static func basicAuthorization(clientID: String, secret: String) -> String {
    let pair = formEncode(clientID) + ":" + formEncode(secret)
    return "Basic " + Data(pair.utf8).base64EncodedString()
  }

  /// `application/x-www-form-urlencoded` (RFC 6749 Appendix B): unreserved characters stay,
  /// space becomes `+`, everything else `%XX`.
  static func formEncode(_ value: String) -> String {
    var result = ""
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        result.unicodeScalars.append(Unicode.Scalar(byte))
      case UInt8(ascii: " "): result += "+"
      default:
        let hex = String(byte, radix: 16, uppercase: true)
        result += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return result
  }
}
