import LatchkeyJOSE
import Testing

@Suite("Keys shared across tasks")
struct ConcurrencyTests {
  @Test("one key signs and verifies from many tasks at once", arguments: JWSAlgorithm.allCases)
  func sharedKey(algorithm: JWSAlgorithm) async throws {
    let key = Fixtures.key(algorithm)
    let resolver = StaticKeyResolver([key.publicKey])
    let rounds = algorithm == .rs256 ? 5 : 50
    let verified = try await withThrowingTaskGroup(of: Int.self) { group in
      for task in 0..<8 {
        group.addTask {
          var count = 0
          for round in 0..<rounds {
            let claims = JWTClaims(sub: "task-\(task)-\(round)", exp: 2_000_000_000)
            let token = try JWT.sign(claims, key: key)
            let result = try JWT.verify(
              token, keys: resolver, validator: JWTValidator(issuer: nil, audience: nil),
              now: 1_700_000_000)
            if result.claims == claims { count += 1 }
          }
          return count
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(verified == 8 * rounds)
  }
}
