import Foundation
import HummingbirdTesting
import LatchkeyTestSupport

/// A 303 back to the client: where it goes and its query parameters.
struct AuthorizationRedirect: Sendable {
  var location: String
  var query: [String: String]

  init(_ response: TestResponse) throws {
    guard let location = response.headers[.location] else { throw TestFlowError.noLocation }
    self.location = location
    let queryString = location.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
    query = FormEncoding.decode(String(queryString))
  }

  /// The redirect URI without the response parameters.
  var target: String { String(location.split(separator: "?", maxSplits: 1)[0]) }
}
