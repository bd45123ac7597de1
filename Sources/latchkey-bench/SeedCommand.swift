import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeySQLite

/// `latchkey-bench seed codes|refresh`: the documented seeding path of scripts/bench.
///
/// Writes, through `SQLiteStore`'s public API on the same database file a running
/// `latchkey serve` uses, exactly the rows the real flow writes: `/authorize`'s consent step
/// (`ConsentStep.issueCode`: a grant plus a code stored as `SecretHash` of a 256-bit random
/// value, bound to client, redirect URI, PKCE S256 challenge, resource and scopes) and, for
/// refresh tokens, the token endpoint's redemption (`redeemCode`: the code consumed together
/// with the grant's first refresh token). The secrets go to `--out`, one per line
/// (`code verifier`, or `refresh_token`), for the wrk scripts, which use each line once.
///
/// The seeding connection uses `synchronous=NORMAL` (it is setup, not the measured path); the
/// server keeps its own level. The client and user are created when missing.
enum SeedCommand {
  struct Options {
    var database = ""
    var kind = "codes"
    var count = 1000
    var out = ""
    var clientID = "bench-client"
    var redirectURI = "http://127.0.0.1:9/callback"
    var resource = ""
    var scopes = "notes:read notes:write"
    var codeLifetime = 3600.0
    var tasks = 4
  }

  static func run(_ arguments: [String]) async throws {
    var options = Options()
    var iterator = arguments.makeIterator()
    while let flag = iterator.next() {
      guard let value = iterator.next() else { throw BenchUsage.missingValue(flag) }
      switch flag {
      case "--database": options.database = value
      case "--kind": options.kind = value
      case "--count": options.count = Int(value) ?? options.count
      case "--out": options.out = value
      case "--client-id": options.clientID = value
      case "--redirect-uri": options.redirectURI = value
      case "--resource": options.resource = value
      case "--scopes": options.scopes = value
      case "--code-lifetime": options.codeLifetime = Double(value) ?? options.codeLifetime
      case "--tasks": options.tasks = max(1, Int(value) ?? options.tasks)
      default: throw BenchUsage.unknownFlag(flag)
      }
    }
    guard !options.database.isEmpty, !options.out.isEmpty, !options.resource.isEmpty,
      ["codes", "refresh"].contains(options.kind)
    else { throw BenchUsage.missingValue("--database, --out, --resource, --kind codes|refresh") }
    try await seed(options)
  }

  static func seed(_ options: Options) async throws {
    var configuration = SQLiteConfiguration(synchronous: .normal)
    configuration.migrateOnOpen = false
    let store = try SQLiteStore(path: options.database, configuration: configuration)
    defer { try? store.close() }
    let now = Date()
    try await ensureClientAndUser(options, store: store, now: now)
    let perTask = (options.count + options.tasks - 1) / options.tasks
    let lines = try await withThrowingTaskGroup(of: [String].self) { group in
      for task in 0..<options.tasks {
        let count = min(perTask, options.count - task * perTask)
        guard count > 0 else { continue }
        group.addTask {
          var lines: [String] = []
          lines.reserveCapacity(count)
          for _ in 0..<count {
            lines.append(try await seedOne(options, store: store, now: now))
          }
          return lines
        }
      }
      return try await group.reduce(into: [String]()) { $0 += $1 }
    }
    let text = lines.joined(separator: "\n") + "\n"
    guard
      FileManager.default.createFile(
        atPath: options.out, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    else { throw BenchUsage.cannotWrite(options.out) }
  }

  static let userID = "bench-user"

  static func ensureClientAndUser(_ options: Options, store: SQLiteStore, now: Date) async throws {
    if try await store.user(id: userID) == nil {
      // No password can match this hash: the seeded user never logs in.
      try await store.insertUser(
        User(id: userID, username: "bench", passwordHash: "!", createdAt: now))
    }
    if try await store.client(id: options.clientID) == nil {
      try await store.insertClient(
        Client(
          id: options.clientID, name: "Benchmark client", origin: .preregistered,
          redirectURIs: [options.redirectURI], createdAt: now))
    }
  }

  /// One grant + code as `ConsentStep.issueCode` writes them; for `refresh`, then redeemed as
  /// `redeemAuthorizationCode` does (code consumed, first refresh token stored).
  static func seedOne(_ options: Options, store: SQLiteStore, now: Date) async throws -> String {
    let scopes = ScopeSet(options.scopes.split(separator: " ").map(String.init))
    let code = SecureRandom.token()
    let verifier = SecureRandom.token()
    let grant = Grant(
      id: SecureRandom.token(byteCount: 16), userID: userID, clientID: options.clientID,
      resource: options.resource, scopes: scopes, createdAt: now,
      expiresAt: now.addingTimeInterval(90 * 86_400))
    let record = AuthorizationCode(
      codeHash: SecretHash.of(code), grantID: grant.id, clientID: options.clientID,
      userID: userID, resource: options.resource, scopes: scopes,
      redirectURI: options.redirectURI, redirectURIWasExplicit: true,
      codeChallenge: PKCE.s256Challenge(verifier: verifier), issuedAt: now,
      expiresAt: now.addingTimeInterval(options.codeLifetime))
    try await store.issueCode(record, grant: grant)
    guard options.kind == "refresh" else { return "\(code) \(verifier)" }
    let refresh = SecureRandom.token()
    let redemption = try await store.redeemCode(hash: record.codeHash, at: now) { code, grant in
      RefreshToken(
        tokenHash: SecretHash.of(refresh), grantID: grant.id, clientID: code.clientID,
        scopes: code.scopes, resource: code.resource, issuedAt: now,
        expiresAt: min(now.addingTimeInterval(30 * 86_400), grant.expiresAt))
    }
    guard case .redeemed = redemption else { throw BenchUsage.seedFailed }
    return refresh
  }
}

enum BenchUsage: Error, CustomStringConvertible {
  case missingValue(String)
  case unknownFlag(String)
  case seedFailed
  case cannotWrite(String)

  var description: String {
    switch self {
    case .missingValue(let flag): "missing value for \(flag)"
    case .unknownFlag(let flag): "unknown flag \(flag)"
    case .seedFailed: "seeding a refresh token failed"
    case .cannotWrite(let path): "cannot write \(path)"
    }
  }
}
