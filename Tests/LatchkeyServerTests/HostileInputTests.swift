import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import NIOCore
import Testing

/// More than 300 malformed or malicious requests across every endpoint of the real application:
/// each gets its exact status (and OAuth error when JSON), none a 5xx, HTML pages never reflect
/// markup unescaped, no `Location` leaves the registered redirect URI, and nothing but audit
/// rows is written.
@Suite("Hostile input over HTTP")
struct HostileInputTests {
  static let client = TestAuthorizationServer.clientID
  static let registered = TestAuthorizationServer.redirectURI

  @Test func everyHostileRequestGetsItsExactRefusal() async throws {
    var server = try await TestAuthorizationServer()
    server.configuration.registration.perMinutePerSource = 100_000
    server.configuration.registration.perMinuteGlobal = 100_000
    let cases = HostileCorpus.all
    #expect(cases.count >= 300)
    let before = try await Snapshot(server)
    let failures = try await server.run { browser in
      var failures: [String] = []
      for hostile in cases {
        var headers = HTTPFields()
        if let contentType = hostile.contentType { headers[.contentType] = contentType }
        for (name, value) in hostile.headers {
          if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let response = try await browser.client.executeRequest(
          uri: hostile.uri, method: hostile.method, headers: headers,
          body: hostile.body.map { ByteBuffer(bytes: $0) })
        LeakScan.observe(
          requestHeaders: headers.map { ($0.name.rawName, $0.value) },
          requestBody: hostile.body.map { String(decoding: $0, as: UTF8.self) },
          status: Int(response.status.code),
          responseHeaders: response.headers.map { ($0.name.rawName, $0.value) },
          responseBody: Array(response.body.readableBytesView))
        failures += Self.problems(hostile, response).map { "\(hostile): \($0)" }
      }
      return failures
    }
    for failure in failures { Issue.record(Comment(rawValue: failure)) }
    let after = try await Snapshot(server)
    #expect(before == after, "only audit rows may be written")
  }

  static func problems(_ hostile: HostileRequest, _ response: TestResponse) -> [String] {
    var problems: [String] = []
    let status = Int(response.status.code)
    if status >= 500 { problems.append("5xx: \(status)") }
    if status != hostile.status { problems.append("status \(status), expected \(hostile.status)") }
    let body = String(buffer: response.body)
    if let expected = hostile.error {
      let data = Data(response.body.readableBytesView)
      let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
      let code = json?["error"] as? String
      if code != expected { problems.append("error \(code ?? "none"), expected \(expected)") }
    }
    if let location = response.headers[.location], !location.hasPrefix(registered + "?") {
      problems.append("Location off the registered redirect URI: \(location)")
    }
    if response.headers[.contentType]?.hasPrefix("text/html") == true {
      for raw in ["<script>alert", "<img src=x", "onerror=alert(1)>"] where body.contains(raw) {
        problems.append("HTML reflects \(raw) unescaped")
      }
      if response.headers[HTTPField.Name("X-Frame-Options")!] != "DENY" {
        problems.append("HTML page without X-Frame-Options: DENY")
      }
    }
    return problems
  }
}

/// The rows a refused request must not change (audit rows may grow).
struct Snapshot: Equatable {
  var clients: [Client]
  var grants: [Grant]
  var consents: [Consent]
  var users: Int

  init(_ server: TestAuthorizationServer) async throws {
    clients = try await server.store.clients()
    grants = try await server.allGrants()
    consents = try await server.store.consents(userID: TestAuthorizationServer.userID)
    users = try await server.store.users().count
  }
}
