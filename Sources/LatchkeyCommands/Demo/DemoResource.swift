import LatchkeyCore
import LatchkeyServer

/// The example notes resource as the authorization server registers it: its URL, its two
/// scopes in words (the consent page shows them) and which tool needs which.
enum DemoResource {
  static let readScope = "notes:read"
  static let writeScope = "notes:write"

  static func url(port: Int) -> String { "http://\(DemoOptions.host):\(port)/mcp" }

  static func configuration(url: String) -> ResourceConfiguration {
    ResourceConfiguration(
      url: url, name: "Demo notes",
      scopes: [
        ScopeDefinition(name: readScope, description: "Read your notes"),
        ScopeDefinition(name: writeScope, description: "Create and change your notes"),
      ],
      defaultScopes: [readScope],
      toolScopes: [
        "list_notes": [readScope], "read_note": [readScope], "add_note": [writeScope],
        "delete_note": [writeScope], "upstream_whoami": [readScope],
      ])
  }
}
