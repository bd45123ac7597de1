import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// `ServerConfiguration` from JSON: one source of defaults, closed sets as enums, and every key
/// the decoder does not know refused with its path (docs/configuration.md).
@Suite("configuration: the serve file, strictly decoded")
struct ServerConfigurationDecodingTests {
  static let file = "config/x.json"

  static func decode(_ json: String) throws(ConfigurationFileError) -> ServerConfiguration {
    try ConfigurationFile.decode(ServerConfiguration.self, from: Data(json.utf8), file: file)
  }

  static func refusal(_ json: String) -> ConfigurationFileError? {
    do {
      _ = try decode(json)
      return nil
    } catch {
      return error
    }
  }

  /// The values `{"issuer": …}` decoded to before the decoder was rewritten, written out
  /// literally (not read from the type) so a changed default fails here.
  @Test func theDefaultsAreTheOnesServeAlwaysHad() throws {
    let decoded = try Self.decode(#"{"issuer": "https://auth.example.com"}"#)
    #expect(decoded.issuer == "https://auth.example.com")
    #expect(decoded.host == "127.0.0.1" && decoded.port == 8080)
    #expect(decoded.databasePath == ".latchkey/latchkey.sqlite")
    #expect(decoded.database.url == nil && decoded.database.passwordFile == nil)
    #expect(decoded.database.tls == nil && decoded.database.poolSize == 10)
    #expect(decoded.database.minimumConnections == 1)
    #expect(decoded.database.connectTimeout == 5 && decoded.database.operationTimeout == 5)
    #expect(decoded.resources.isEmpty)
    #expect(decoded.tokens.accessToken == 3600 && decoded.tokens.authorizationCode == 60)
    #expect(decoded.tokens.refreshToken == 2_592_000 && decoded.tokens.refreshFamily == 7_776_000)
    #expect(decoded.tokens.refreshGraceWindow == 30)
    #expect(decoded.signingAlgorithm == .es256)
    #expect(decoded.registration.dynamicRegistrationEnabled)
    #expect(decoded.registration.perMinuteGlobal == 600)
    #expect(decoded.registration.perMinutePerSource == 120)
    #expect(decoded.registration.idleExpiry == 2_592_000)
    #expect(decoded.registration.metadataDocumentsEnabled)
    #expect(decoded.registration.metadataDocumentAllowHosts.isEmpty)
    #expect(decoded.registration.metadataDocumentDenyHosts.isEmpty)
    #expect(!decoded.registration.metadataDocumentAllowPrivateAddresses)
    #expect(decoded.consent.skipWhenAlreadyGranted)
    #expect(decoded.templateDirectory == nil && decoded.trustedProxies.isEmpty)
    #expect(decoded.passwordHashLogN == 15)
    #expect(decoded.databaseSynchronous == .full)
    #expect(decoded.logFormat == .text && decoded.logLevel == .info)
    #expect(decoded.housekeeping.interval == 3600 && decoded.housekeeping.retention == 86_400)
    #expect(decoded.metrics.listen == nil && decoded.metrics.path == "/metrics")
    #expect(decoded == ServerConfiguration(issuer: "https://auth.example.com"))
  }

  /// Empty nested objects and a resource with only its URL keep every default too.
  @Test func emptyObjectsKeepTheDefaults() throws {
    let decoded = try Self.decode(
      #"""
      {"issuer": "https://a.example", "tokens": {}, "registration": {}, "consent": {},
       "housekeeping": {}, "metrics": {}, "database": {},
       "resources": [{"url": "https://mcp.example/mcp"}]}
      """#)
    var expected = ServerConfiguration(issuer: "https://a.example")
    expected.resources = [
      ResourceConfiguration(
        url: "https://mcp.example/mcp", name: "https://mcp.example/mcp", scopes: [])
    ]
    #expect(decoded == expected)
  }

  @Test func everySettingIsRead() throws {
    let decoded = try Self.decode(
      #"""
      {"issuer": "https://a.example", "host": "0.0.0.0", "port": 9, "database_path": "/d.sqlite",
       "signing_algorithm": "EdDSA", "database_synchronous": "normal", "log_format": "JSON",
       "log_level": "Debug", "template_directory": "/t", "trusted_proxies": ["10.0.0.1"],
       "password_hash_log_n": 4, "database": {"url": "postgres://u@h/d", "tls": "REQUIRE",
       "password_file": "/p", "pool_size": 3, "minimum_connections": 0, "connect_timeout": 1.5,
       "operation_timeout": 2}, "tokens": {"access_token": 1, "authorization_code": 2,
       "refresh_token": 3, "refresh_family": 4, "refresh_grace_window": 5},
       "registration": {"dynamic_registration_enabled": false, "per_minute_global": 1,
       "per_minute_per_source": 2, "idle_expiry": 3, "metadata_documents_enabled": false,
       "metadata_document_allow_hosts": ["a"], "metadata_document_deny_hosts": ["b"],
       "metadata_document_allow_private_addresses": true},
       "consent": {"skip_when_already_granted": false},
       "housekeeping": {"interval": 5, "retention": 0},
       "metrics": {"listen": "127.0.0.1:9090", "path": "/m"},
       "resources": [{"url": "https://mcp.example/mcp", "name": "Notes",
         "scopes": [{"name": "notes:read", "description": "Read"}],
         "default_scopes": ["notes:read"], "tool_scopes": {"add": ["notes:write"]}}]}
      """#)
    #expect(decoded.host == "0.0.0.0" && decoded.port == 9 && decoded.databasePath == "/d.sqlite")
    #expect(decoded.signingAlgorithm == .edDSA && decoded.databaseSynchronous == .normal)
    #expect(decoded.logFormat == .json && decoded.logLevel == .debug)
    #expect(decoded.templateDirectory == "/t" && decoded.trustedProxies == ["10.0.0.1"])
    #expect(decoded.passwordHashLogN == 4)
    #expect(
      decoded.database
        == DatabaseSettings(
          url: "postgres://u@h/d", passwordFile: "/p", tls: .require, poolSize: 3,
          minimumConnections: 0, connectTimeout: 1.5, operationTimeout: 2))
    #expect(decoded.tokens.accessToken == 1 && decoded.tokens.refreshGraceWindow == 5)
    #expect(!decoded.registration.dynamicRegistrationEnabled)
    #expect(decoded.registration.metadataDocumentAllowPrivateAddresses)
    #expect(decoded.registration.metadataDocumentDenyHosts == ["b"])
    #expect(!decoded.consent.skipWhenAlreadyGranted)
    #expect(decoded.housekeeping.interval == 5 && decoded.housekeeping.retention == 0)
    #expect(decoded.metrics == MetricsConfiguration(listen: "127.0.0.1:9090", path: "/m"))
    #expect(
      decoded.resources == [
        ResourceConfiguration(
          url: "https://mcp.example/mcp", name: "Notes",
          scopes: [ScopeDefinition(name: "notes:read", description: "Read")],
          defaultScopes: ["notes:read"], toolScopes: ["add": ["notes:write"]])
      ])
  }

  @Test(arguments: [
    (#"{"issuer": "https://a.example", "isuer": "x"}"#, "isuer"),
    (#"{"issuer": "https://a.example", "tokens": {"acess_token": 1}}"#, "tokens.acess_token"),
    (#"{"issuer": "https://a.example", "database": {"pool": 1}}"#, "database.pool"),
    (
      #"{"issuer": "https://a.example", "registration": {"enabled": true}}"#, "registration.enabled"
    ),
    (#"{"issuer": "https://a.example", "consent": {"skip": true}}"#, "consent.skip"),
    (#"{"issuer": "https://a.example", "housekeeping": {"every": 1}}"#, "housekeeping.every"),
    (#"{"issuer": "https://a.example", "metrics": {"port": 1}}"#, "metrics.port"),
    (
      #"{"issuer": "https://a.example", "resources": [{"url": "u", "scope": []}]}"#,
      "resources[0].scope"
    ),
    (
      #"{"issuer": "https://a.example", "resources": [{"url": "u"}, {"url": "v", "scopes": [{"name": "a", "description": "A"}, {"name": "b", "descripton": "B"}]}]}"#,
      "resources[1].scopes[1].descripton"
    ),
  ])
  func anUnknownKeyIsRefusedWithItsPath(json: String, path: String) {
    #expect(
      Self.refusal(json)
        == ConfigurationFileError(file: Self.file, problem: .unknownKey(path: path)))
  }

  @Test func theMessageNamesTheKeyAndTheFile() {
    let error = Self.refusal(#"{"issuer": "https://a.example", "tokens": {"acess_token": 1}}"#)
    #expect(error?.description == #"unknown key "tokens.acess_token" in config/x.json"#)
  }

  /// With several unknown keys the first in sorted order is named, the same at every run.
  @Test func severalUnknownKeysNameTheFirstInOrder() {
    let error = Self.refusal(#"{"issuer": "https://a.example", "zz": 1, "ab": 2, "m": 3}"#)
    #expect(error == ConfigurationFileError(file: Self.file, problem: .unknownKey(path: "ab")))
  }

  @Test(arguments: [
    (
      #"{"issuer": "https://a.example", "log_level": "loud"}"#, "log_level", "loud",
      ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    ),
    (
      #"{"issuer": "https://a.example", "log_format": "xml"}"#, "log_format", "xml",
      ["text", "json"]
    ),
    (
      #"{"issuer": "https://a.example", "database_synchronous": "OFF"}"#, "database_synchronous",
      "OFF", ["FULL", "NORMAL"]
    ),
    (
      #"{"issuer": "https://a.example", "signing_algorithm": "HS256"}"#, "signing_algorithm",
      "HS256", ["ES256", "EdDSA", "RS256"]
    ),
    (
      #"{"issuer": "https://a.example", "signing_algorithm": "es256"}"#, "signing_algorithm",
      "es256", ["ES256", "EdDSA", "RS256"]
    ),
    (
      #"{"issuer": "https://a.example", "database": {"tls": "always"}}"#, "database.tls", "always",
      ["disable", "prefer", "require"]
    ),
  ])
  func aValueOutsideAClosedSetNamesTheAllowedValues(
    json: String, path: String, value: String, allowed: [String]
  ) {
    #expect(
      Self.refusal(json)
        == ConfigurationFileError(
          file: Self.file, problem: .notAllowed(path: path, value: value, allowed: allowed)))
  }

  @Test func theAllowedValuesAreInTheMessage() {
    let error = Self.refusal(#"{"issuer": "https://a.example", "signing_algorithm": "HS256"}"#)
    #expect(
      error?.description
        == #""signing_algorithm" in config/x.json is "HS256"; allowed values: ES256, EdDSA, RS256"#)
  }

  @Test(arguments: [
    (#"{"host": "h"}"#, ConfigurationProblem.missingKey(path: "issuer")),
    (
      #"{"issuer": "https://a.example", "resources": [{"name": "n"}]}"#,
      .missingKey(path: "resources[0].url")
    ),
    (
      #"{"issuer": "https://a.example", "resources": [{"url": "u", "scopes": [{"name": "a"}]}]}"#,
      .missingKey(path: "resources[0].scopes[0].description")
    ),
    (
      #"{"issuer": "https://a.example", "port": "80"}"#,
      .wrongType(path: "port", expected: "a number")
    ),
    (
      #"{"issuer": "https://a.example", "tokens": {"access_token": "1h"}}"#,
      .wrongType(path: "tokens.access_token", expected: "a number")
    ),
    (
      #"{"issuer": "https://a.example", "consent": {"skip_when_already_granted": "yes"}}"#,
      .wrongType(path: "consent.skip_when_already_granted", expected: "true or false")
    ),
    (
      #"{"issuer": "https://a.example", "tokens": 5}"#,
      .wrongType(path: "tokens", expected: "an object")
    ),
    (
      #"{"issuer": "https://a.example", "trusted_proxies": "10.0.0.1"}"#,
      .wrongType(path: "trusted_proxies", expected: "an array")
    ),
    (#"{"issuer": 1}"#, .wrongType(path: "issuer", expected: "a string")),
    (#"{"issuer": "https://a.example""#, .notJSON),
    (#"[]"#, .wrongType(path: "", expected: "an object")),
  ])
  func otherBadInputIsRefusedWithItsPath(json: String, problem: ConfigurationProblem) {
    #expect(Self.refusal(json) == ConfigurationFileError(file: Self.file, problem: problem))
  }

  @Test func aMissingFileIsUnreadable() {
    #expect(throws: ConfigurationFileError.self) {
      _ = try ServerConfiguration.load(path: "/nonexistent/latchkey.json")
    }
    do {
      _ = try ServerConfiguration.load(path: "/nonexistent/latchkey.json")
    } catch {
      #expect(error.description.hasPrefix("cannot read configuration /nonexistent/latchkey.json: "))
    }
  }

  /// The example files in the repository load as they are.
  @Test(arguments: ["config/demo.json", "deploy/latchkey.json"])
  func theExampleFilesLoad(path: String) throws {
    let docs = try DocumentedKeys.root()
    let configuration = try ServerConfiguration.load(path: docs.appendingPathComponent(path).path)
    #expect(configuration.signingAlgorithm == .es256 && configuration.resources.count == 1)
  }

  @Test func validateRefusesAnInsecureIssuerAndABadMetricsAddress() {
    #expect(
      throws: ConfigurationError.invalid("issuer must use https (http is allowed only on loopback)")
    ) {
      try ServerConfiguration(issuer: "http://auth.example.com").validate()
    }
    var configuration = ServerConfiguration(issuer: "https://auth.example.com")
    configuration.metrics.listen = "9090"
    #expect(
      throws: ConfigurationError.invalid("metrics.listen must be host:port, e.g. 127.0.0.1:9090")
    ) {
      try configuration.validate()
    }
    configuration.metrics.listen = "127.0.0.1:9090"
    #expect(throws: Never.self) { try configuration.validate() }
  }
}
