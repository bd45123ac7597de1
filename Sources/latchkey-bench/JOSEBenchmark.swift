import Foundation
import LatchkeyJOSE

/// JOSE micro-benchmarks: one JSON object per line on stdout, single thread, each measured for
/// `BenchSettings.josePhase` after a short warm-up. Compare with `openssl speed ecdsap256 ed25519 rsa2048`.
enum JOSEBenchmark {
  static let now: Int64 = 1_700_000_000

  static func run() throws {
    let digestInput = SecureRandom.bytes(32)
    try measure("sha256_32B") { _ = Digest.sha256(digestInput) }
    for algorithm in JWSAlgorithm.allCases {
      try benchmark(algorithm)
    }
  }

  private static func benchmark(_ algorithm: JWSAlgorithm) throws {
    let name = algorithm.rawValue.lowercased()
    let key = try SigningKey.generate(algorithm)
    let message = SecureRandom.bytes(32)
    let signature = try key.sign(message)
    try measure("\(name)_sign") { _ = try key.sign(message) }
    try measure("\(name)_verify") {
      guard key.publicKey.verify(signature: signature, message: message) else {
        throw JOSEKeyError.cryptoFailure
      }
    }
    try measure("\(name)_jwt_sign") {
      _ = try JWT.sign(accessTokenClaims(), key: key, type: "at+jwt")
    }
    let token = try JWT.sign(accessTokenClaims(), key: key, type: "at+jwt")
    let resolver = StaticKeyResolver([key.publicKey])
    let validator = JWTValidator(
      issuer: "https://auth.example.com", audience: "https://mcp.example.com/mcp",
      expectedType: "at+jwt")
    try measure("\(name)_jwt_verify") {
      _ = try JWT.verify(token, keys: resolver, validator: validator, now: now)
    }
  }

  /// Claims shaped like a Latchkey RFC 9068 access token, with a fresh `jti` per token.
  private static func accessTokenClaims() -> JWTClaims {
    JWTClaims(
      iss: "https://auth.example.com", sub: "user_8f14e45fceea167a",
      aud: .one(
        "https://mcp.example.com/mcp"), exp: now + 3600, iat: now,
      jti: SecureRandom.token(byteCount: 16), clientID: "client_c9f0f895fb98ab91",
      scope: "mcp:tools mcp:resources")
  }

  private static func measure(_ name: String, _ body: () throws -> Void) throws {
    let clock = ContinuousClock()
    let warmUpEnd = clock.now.advanced(by: BenchSettings.warmUp)
    while clock.now < warmUpEnd { try body() }
    var operations = 0
    let start = clock.now
    let end = start.advanced(by: BenchSettings.josePhase)
    while clock.now < end {
      for _ in 0..<16 { try body() }
      operations += 16
    }
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = (Double(operations) / seconds).rounded()
    let line = "{\"suite\":\"jose\",\"name\":\"\(name)\",\"ops_per_sec\":\(Int(rate))}\n"
    FileHandle.standardOutput.write(Data(line.utf8))
  }
}
