import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// docs/configuration.md against the decoder: every key `ServerConfiguration` accepts is in a
/// table there, and every key in those tables is accepted.
@Suite("configuration: docs/configuration.md lists exactly the accepted keys")
struct ConfigurationDocumentationTests {
  @Test func everyAcceptedKeyIsDocumentedAndEveryDocumentedKeyAccepted() throws {
    let documented = DocumentedKeys.parse(markdown: try DocumentedKeys.document("configuration.md"))
    let accepted = ServerConfiguration.shape.keyPaths()
    #expect(accepted.subtracting(documented).sorted() == [], "accepted but not documented")
    #expect(documented.subtracting(accepted).sorted() == [], "documented but not accepted")
    #expect(accepted.contains("resources[].scopes[].description"))
    #expect(accepted.contains("tokens.refresh_grace_window"))
  }

  /// The parser reads key tables under their heading and skips other tables and code.
  @Test func theParserReadsKeyTablesOnly() {
    let markdown = """
      ## Top level

      | key | meaning |
      |---|---|
      | `issuer` | the issuer |

      ## `tokens` (lifetimes)

      | key / flag | default |
      | --- | --- |
      | `access_token` / `--x` | 1 |

      ```
      | key |
      |---|
      | `fenced` |
      ```

      | variable | flag |
      |---|---|
      | `LATCHKEY_X` | `--x` |
      """
    #expect(DocumentedKeys.parse(markdown: markdown) == ["issuer", "tokens.access_token"])
  }
}
