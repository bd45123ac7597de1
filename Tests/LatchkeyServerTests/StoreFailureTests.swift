import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// A store failure is never a wrong answer: busy → 503 `temporarily_unavailable`, anything else
/// → 500 `server_error`, with a generic description that leaks nothing.
@Suite("Store failures at the token endpoint")
struct StoreFailureTests {
  struct Exploded: Error {}

  @Test(arguments: [
    (
      StoreError.unavailable("database is locked") as any Error,
      HTTPResponse.Status.serviceUnavailable, "temporarily_unavailable"
    ),
    (StoreError.corrupt("row 7") as any Error, .internalServerError, "server_error"),
    (Exploded() as any Error, .internalServerError, "server_error"),
  ])
  func aFailingStoreAnswersWithAGenericError(
    failure: any Error, status: HTTPResponse.Status, error: String
  ) async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, _) = try await h.seedCode()
    h.store.failNext("redeemCode", with: failure)
    try await h.test { client in
      let response = try await client.postForm("/token", Wire.tokenRequest(code: code))
      #expect(response.status == status)
      #expect(try Wire.errorCode(response) == error)
      let body = String(buffer: response.body)
      #expect(!body.contains("locked") && !body.contains("row 7") && !body.contains(code))
      // Nothing was consumed: the same code still redeems once the store recovers.
      let retry = try await client.postForm("/token", Wire.tokenRequest(code: code))
      #expect(retry.status == .ok)
    }
  }
}
