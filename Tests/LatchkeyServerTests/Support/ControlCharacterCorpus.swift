import Foundation

/// Control characters put into every parameter (`HostileInputTests` control-character tests):
/// NUL (which a C-string binding truncates at), other C0 characters and DEL.
enum ControlCharacterCorpus {
  static let characters: [String] = [
    "\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{B}", "\r", "\u{1B}", "\u{1F}", "\u{7F}",
  ]

  /// Printable names for failure messages.
  static func name(_ character: String) -> String {
    character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
      .joined()
  }

  /// `pairs` with `control` appended to the value of `parameter` (a real value followed by a
  /// control character: the truncation case).
  static func poisoned(_ pairs: [(String, String)], _ parameter: String, _ control: String)
    -> [(String, String)]
  {
    pairs.map { $0.0 == parameter ? ($0.0, $0.1 + control) : $0 }
  }

  /// The expected answer for a control character in `parameter` of a form endpoint: the
  /// client's credentials are `invalid_client` (401), anything else `invalid_request` (400).
  static func expected(_ parameter: String) -> (status: Int, error: String) {
    ["client_id", "client_secret"].contains(parameter)
      ? (401, "invalid_client") : (400, "invalid_request")
  }

  /// A registration request as a JSON object.
  static var registration: [String: Any] {
    [
      "client_name": "Control", "redirect_uris": ["https://app.example.com/cb"],
      "token_endpoint_auth_method": "none", "grant_types": ["authorization_code"],
      "response_types": ["code"], "application_type": "web", "scope": "notes:read",
      "client_uri": "https://app.example.com", "logo_uri": "https://app.example.com/logo.png",
      "policy_uri": "https://app.example.com/policy", "tos_uri": "https://app.example.com/tos",
      "software_id": "control-test", "software_version": "1.0",
    ]
  }

  /// Each registration member with `control` added to its (first) string.
  static func poisonedRegistrations(_ control: String) -> [(member: String, body: Data)] {
    registration.keys.sorted().map { member in
      var object = registration
      switch object[member] {
      case let list as [String]: object[member] = [list[0] + control] + list.dropFirst()
      case let text as String: object[member] = text + control
      default: break
      }
      let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
      return (member, body)
    }
  }
}
