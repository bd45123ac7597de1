import Foundation
import LatchkeyCore
import LatchkeySQLite

/// Store micro-benchmarks: single-row write transactions through `SQLiteStore`'s public async
/// API, against the raw GRDB synchronous-insert ceiling. One JSON object per line on stdout.
enum StoreBenchmark {
  /// How long each timed phase runs.
  static let phaseSeconds = BenchSettings.storePhaseSeconds

  /// Runs every store benchmark in a temporary directory under /tmp, deleted afterwards.
  static func run() async throws {
    let directory = "/tmp/latchkey-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for synchronous in SQLiteConfiguration.Synchronous.allCases {
      let suffix = synchronous == .full ? "" : "_sync_normal"
      let ceiling = try RawWriteCeiling.measure(
        path: "\(directory)/ceiling\(suffix).sqlite", synchronous: synchronous,
        seconds: phaseSeconds)
      report("raw_grdb_sync_insert\(suffix)", ceiling.operations, ceiling.elapsed, synchronous)
      try await codeAndTokenPhases(
        path: "\(directory)/store\(suffix).sqlite", synchronous: synchronous, suffix: suffix)
    }
  }

  /// issueCode, then consumeCode one at a time and with 8 concurrent tasks, then a chain of
  /// refresh-token rotations, on one store.
  static func codeAndTokenPhases(
    path: String, synchronous: SQLiteConfiguration.Synchronous, suffix: String
  ) async throws {
    let store = try SQLiteStore(
      path: path, configuration: SQLiteConfiguration(synchronous: synchronous))
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    try await store.insertUser(
      User(id: "u1", username: "bench", passwordHash: "x", createdAt: start))
    try await store.insertClient(
      Client(
        id: "c1", name: "Bench", origin: .preregistered, redirectURIs: ["http://127.0.0.1/cb"],
        createdAt: start))

    var hashes: [String] = []
    let issued = try await timed(seconds: phaseSeconds * 1.5) { index in
      let grant = Grant(
        id: "g\(index)", userID: "u1", clientID: "c1", resource: "https://mcp.example/mcp",
        scopes: ScopeSet(["notes:read"]), createdAt: start,
        expiresAt: start.addingTimeInterval(86_400))
      let code = AuthorizationCode(
        codeHash: "code-\(index)", grantID: grant.id, clientID: "c1", userID: "u1",
        resource: grant.resource, scopes: grant.scopes, redirectURI: "http://127.0.0.1/cb",
        redirectURIWasExplicit: true, codeChallenge: "challenge", issuedAt: start,
        expiresAt: start.addingTimeInterval(600))
      try await store.issueCode(code, grant: grant)
      hashes.append(code.codeHash)
      return true
    }
    report("sqlite_issue_code\(suffix)", issued.operations, issued.elapsed, synchronous)

    let half = hashes.count / 2
    let single = Array(hashes[..<half])
    let consumed = try await timed(seconds: phaseSeconds) { index in
      guard index < single.count else { return false }
      guard case .consumed = try await store.consumeCode(hash: single[index], at: start) else {
        throw BenchmarkFailure.unexpected("consume")
      }
      return true
    }
    report("sqlite_consume_code\(suffix)", consumed.operations, consumed.elapsed, synchronous)

    let concurrent = try await consumeConcurrently(
      Array(hashes[half...]), tasks: 8, store: store, at: start)
    report(
      "sqlite_consume_code_8_tasks\(suffix)", concurrent.operations, concurrent.elapsed,
      synchronous)

    let grant = Grant(
      id: "g-rotation", userID: "u1", clientID: "c1", resource: "https://mcp.example/mcp",
      scopes: ScopeSet(["notes:read"]), createdAt: start,
      expiresAt: start.addingTimeInterval(86_400))
    try await store.issueCode(
      AuthorizationCode(
        codeHash: "code-rotation", grantID: grant.id, clientID: "c1", userID: "u1",
        resource: grant.resource, scopes: grant.scopes, redirectURI: "http://127.0.0.1/cb",
        redirectURIWasExplicit: true, codeChallenge: "challenge", issuedAt: start,
        expiresAt: start.addingTimeInterval(600)), grant: grant)
    let first = RefreshToken(
      tokenHash: "rt-0", grantID: grant.id, clientID: "c1", scopes: grant.scopes,
      resource: grant.resource, issuedAt: start, expiresAt: start.addingTimeInterval(3600))
    _ = try await store.issueRefreshToken(first)
    let rotated = try await timed(seconds: phaseSeconds) { index in
      let next = "rt-\(index + 1)"
      let result = try await store.rotateRefreshToken(
        hash: "rt-\(index)", at: start, graceWindow: 30
      ) { parent, grant in
        RefreshToken(
          tokenHash: next, grantID: grant.id, clientID: parent.clientID, scopes: parent.scopes,
          resource: parent.resource, issuedAt: start, expiresAt: start.addingTimeInterval(3600),
          parentHash: parent.tokenHash)
      }
      guard case .rotated = result else { throw BenchmarkFailure.unexpected("rotate") }
      return true
    }
    report("sqlite_rotate_refresh_token\(suffix)", rotated.operations, rotated.elapsed, synchronous)
    try store.close()
  }

  /// Consumes every hash, split across `tasks` concurrent tasks; each must win its code.
  static func consumeConcurrently(
    _ hashes: [String], tasks: Int, store: SQLiteStore, at time: Date
  ) async throws -> (operations: Int, elapsed: Double) {
    let clock = ContinuousClock()
    let begin = clock.now
    let limit = Duration.milliseconds(Int(phaseSeconds * 1000))
    let operations = try await withThrowingTaskGroup(of: Int.self) { group in
      for task in 0..<tasks {
        group.addTask {
          var done = 0
          for index in stride(from: task, to: hashes.count, by: tasks) {
            if done % 50 == 0, clock.now - begin > limit { break }
            guard case .consumed = try await store.consumeCode(hash: hashes[index], at: time)
            else { throw BenchmarkFailure.unexpected("concurrent consume") }
            done += 1
          }
          return done
        }
      }
      return try await group.reduce(0, +)
    }
    return (operations, seconds(clock.now - begin))
  }

  /// Calls `operation(index)` with 0, 1, 2, … until `seconds` pass or it returns false.
  static func timed(seconds limit: Double, _ operation: (Int) async throws -> Bool)
    async throws -> (operations: Int, elapsed: Double)
  {
    let clock = ContinuousClock()
    let begin = clock.now
    let limit = Duration.milliseconds(Int(limit * 1000))
    var operations = 0
    while clock.now - begin < limit {
      guard try await operation(operations) else { break }
      operations += 1
    }
    return (operations, seconds(clock.now - begin))
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  /// Prints one JSON line.
  static func report(
    _ name: String, _ operations: Int, _ elapsed: Double,
    _ synchronous: SQLiteConfiguration.Synchronous
  ) {
    let rate = elapsed > 0 ? Double(operations) / elapsed : 0
    print(
      #"{"suite":"store","name":"\#(name)","ops_per_sec":\#(String(format: "%.0f", rate)),"#
        + #""ops":\#(operations),"seconds":\#(String(format: "%.3f", elapsed)),"#
        + #""synchronous":"\#(synchronous.rawValue)"}"#)
  }

  enum BenchmarkFailure: Error {
    case unexpected(String)
  }
}
