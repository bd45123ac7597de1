import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyProxy

/// The `latchkey proxy` file: defaults as they always were, `log_format` a closed set, unknown
/// keys refused with their path, and the table in docs/embedding.md matching the decoder.
@Suite("configuration: the proxy file, strictly decoded")
struct ProxyConfigurationDecodingTests {
  static let file = "proxy.json"

  static func refusal(_ json: String) -> ConfigurationFileError? {
    do {
      _ = try ConfigurationFile.decode(ProxyConfiguration.self, from: Data(json.utf8), file: file)
      return nil
    } catch {
      return error
    }
  }

  /// The values `{}` decoded to before the decoder was rewritten, written out literally.
  @Test func theDefaultsAreTheOnesTheProxyAlwaysHad() throws {
    let decoded = try ConfigurationFile.decode(
      ProxyConfiguration.self, from: Data("{}".utf8), file: Self.file)
    #expect(decoded.listen == "127.0.0.1:8090")
    #expect(decoded.upstream == "" && decoded.resource == "" && decoded.issuer == "")
    #expect(decoded.scopes == "" && decoded.toolScopes.isEmpty && decoded.unlistedToolScopes == "")
    #expect(decoded.impliedScopes.isEmpty)
    #expect(decoded.toolCallsPerMinute == 60 && decoded.toolCallsPerMinuteByTool.isEmpty)
    #expect(decoded.resourceName == nil && decoded.jwksURI == nil)
    #expect(decoded.leewaySeconds == 30 && decoded.upstreamTimeoutSeconds == 60)
    #expect(decoded.maximumBodyBytes == 1_048_576)
    #expect(decoded.logFormat == .text && decoded.allowedOrigins.isEmpty)
    #expect(decoded.introspection == nil)
    #expect(decoded == ProxyConfiguration(upstream: "", resource: "", issuer: ""))
    let introspection = try ConfigurationFile.decode(
      ProxyConfiguration.self,
      from: Data(#"{"introspection": {"endpoint": "https://a/i", "client_id": "rs"}}"#.utf8),
      file: Self.file)
    #expect(introspection.introspection?.cacheSeconds == 30)
  }

  @Test func logFormatIsReadInAnyCase() throws {
    let decoded = try ConfigurationFile.decode(
      ProxyConfiguration.self, from: Data(#"{"log_format": "JSON"}"#.utf8), file: Self.file)
    #expect(decoded.logFormat == .json)
  }

  @Test(arguments: [
    (#"{"listen": "127.0.0.1:1", "upsteam": "http://x"}"#, "upsteam"),
    (#"{"introspection": {"endpoint": "e", "client_id": "c", "cache": 5}}"#, "introspection.cache"),
  ])
  func anUnknownKeyIsRefusedWithItsPath(json: String, path: String) {
    #expect(
      Self.refusal(json)
        == ConfigurationFileError(file: Self.file, problem: .unknownKey(path: path)))
    #expect(Self.refusal(json)?.description == "unknown key \"\(path)\" in proxy.json")
  }

  @Test func aLogFormatOutsideTheSetNamesTheAllowedValues() {
    #expect(
      Self.refusal(#"{"log_format": "xml"}"#)
        == ConfigurationFileError(
          file: Self.file,
          problem: .notAllowed(path: "log_format", value: "xml", allowed: ["text", "json"])))
  }

  @Test func introspectionNeedsItsEndpointAndClient() {
    #expect(
      Self.refusal(#"{"introspection": {"endpoint": "e"}}"#)
        == ConfigurationFileError(
          file: Self.file, problem: .missingKey(path: "introspection.client_id")))
  }

  @Test func everyAcceptedKeyIsDocumentedAndEveryDocumentedKeyAccepted() throws {
    let documented = DocumentedKeys.parse(markdown: try DocumentedKeys.document("embedding.md"))
    let accepted = ProxyConfiguration.shape.keyPaths()
    #expect(accepted.subtracting(documented).sorted() == [], "accepted but not documented")
    #expect(documented.subtracting(accepted).sorted() == [], "documented but not accepted")
  }
}
