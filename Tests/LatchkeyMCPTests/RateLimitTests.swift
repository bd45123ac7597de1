import LatchkeyMCP
import Testing

@Suite struct RateLimitTests {
  @Test func aLimitAdmitsItsRequestsThenAsksToWait() {
    let limiter = ToolCallRateLimiter(defaultLimit: .perMinute(2))
    #expect(limiter.admit(clientID: "c", subject: "s", tool: "t") == .allowed)
    #expect(limiter.admit(clientID: "c", subject: "s", tool: "t") == .allowed)
    guard case .limited(let retryAfter) = limiter.admit(clientID: "c", subject: "s", tool: "t")
    else {
      Issue.record("the third call should be limited")
      return
    }
    #expect(retryAfter >= 1)
  }

  @Test func unlimitedAdmitsEveryCall() {
    let limiter = ToolCallRateLimiter(defaultLimit: .unlimited)
    #expect(RateLimit.unlimited.isUnlimited)
    #expect(!RateLimit.perMinute(60).isUnlimited)
    for _ in 0..<10_000 {
      #expect(limiter.admit(clientID: "c", subject: "s", tool: "t") == .allowed)
    }
  }
}
