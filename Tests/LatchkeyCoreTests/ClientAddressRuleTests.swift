import LatchkeyCore
import Testing

@Suite("Client address behind trusted proxies")
struct ClientAddressRuleTests {
  static let proxies: Set<String> = ["10.0.0.1", "10.0.0.2"]

  @Test(arguments: [
    ("203.0.113.9", ["198.51.100.7"], "203.0.113.9"),  // untrusted peer: header ignored
    ("10.0.0.1", ["198.51.100.7"], "198.51.100.7"),
    ("10.0.0.1", ["6.6.6.6, 198.51.100.7"], "198.51.100.7"),  // spoofed left entry ignored
    ("10.0.0.1", ["198.51.100.7, 10.0.0.2"], "198.51.100.7"),  // two trusted hops
    ("10.0.0.1", ["198.51.100.7", "10.0.0.2"], "198.51.100.7"),  // repeated header lines
    ("10.0.0.1", [], "10.0.0.1"),
    ("10.0.0.1", ["garbage"], "10.0.0.1"),
    ("10.0.0.1", ["2001:db8::5"], "2001:db8::5"),
  ])
  func resolve(peer: String, forwarded: [String], expected: String) {
    #expect(
      ClientAddressRule.resolve(peer: peer, forwardedFor: forwarded, trusted: Self.proxies)
        == expected)
  }

  @Test func noPeerNoAddress() {
    #expect(ClientAddressRule.resolve(peer: nil, forwardedFor: ["1.2.3.4"], trusted: []) == nil)
  }
}
