import Foundation
import Testing

@testable import LatchkeyCommands

@Suite("serve: configuration precedence and validation")
struct ServeConfigurationTests {
  static func configFile(_ json: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-serve-\(UUID().uuidString).json").path
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func flagsOverrideEnvironmentOverrideTheFile() throws {
    let path = try Self.configFile(
      #"{"issuer":"https://file.example","port":1111,"database_synchronous":"normal"}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fileOnly = try ServeCommand.parse(["--config", path]).resolvedConfiguration(environment: [:]
    )
    #expect(fileOnly.issuer == "https://file.example" && fileOnly.port == 1111)
    #expect(fileOnly.databaseSynchronous == .normal)
    let environment = ["LATCHKEY_ISSUER": "https://env.example", "LATCHKEY_PORT": "2222"]
    let fromEnvironment = try ServeCommand.parse(["--config", path])
      .resolvedConfiguration(environment: environment)
    #expect(fromEnvironment.issuer == "https://env.example" && fromEnvironment.port == 2222)
    let fromFlags = try ServeCommand.parse(["--config", path, "--port", "3333"])
      .resolvedConfiguration(environment: environment)
    #expect(fromFlags.port == 3333 && fromFlags.issuer == "https://env.example")
  }

  @Test(arguments: [
    #"{"issuer":"http://auth.example.com"}"#,
    #"{"issuer":"https://auth.example.com","database_synchronous":"OFF"}"#,
    #"{"issuer":"https://auth.example.com?x=1"}"#,
    #"{"issuer":"https://auth.example.com","log_level":"loud"}"#,
    #"{"issuer":"https://auth.example.com","local_accounts":false}"#,
    #"{"issuer":"https://auth.example.com","identity_providers":[{"id":"corp","#
      + #""issuer":"https://idp.example.com","client_id":"a","client_secret_env":"NOT_SET"}]}"#,
  ])
  func invalidConfigurationsAreRefusedBeforeStarting(json: String) throws {
    let path = try Self.configFile(json)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: (any Error).self) {
      try ServeCommand.parse(["--config", path]).resolvedConfiguration(environment: [:])
    }
  }

  @Test func anIdentityProviderWithAReadableSecretIsAccepted() throws {
    let path = try Self.configFile(
      #"{"issuer":"https://auth.example.com","identity_providers":[{"id":"corp","#
        + #""issuer":"https://idp.example.com","client_id":"a","client_secret_env":"CORP"}]}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let configuration = try ServeCommand.parse(["--config", path])
      .resolvedConfiguration(environment: ["CORP": "s3cret-value"])
    #expect(configuration.identityProviders.map(\.id) == ["corp"])
  }

  @Test func housekeepingAndLogLevelComeFromTheFileAndTheEnvironment() throws {
    let defaults = try Self.configFile(#"{"issuer":"https://file.example"}"#)
    let tuned = try Self.configFile(
      #"{"issuer":"https://file.example","log_level":"DEBUG","housekeeping":{"interval":5,"retention":0}}"#
    )
    defer {
      try? FileManager.default.removeItem(atPath: defaults)
      try? FileManager.default.removeItem(atPath: tuned)
    }
    let plain = try ServeCommand.parse(["--config", defaults]).resolvedConfiguration(
      environment: [:])
    #expect(plain.logLevel == .info)
    #expect(plain.housekeeping.interval == 3600 && plain.housekeeping.retention == 86_400)
    let file = try ServeCommand.parse(["--config", tuned]).resolvedConfiguration(environment: [:])
    #expect(file.logLevel == .debug)
    #expect(file.housekeeping.interval == 5 && file.housekeeping.retention == 0)
    let environment = try ServeCommand.parse(["--config", tuned]).resolvedConfiguration(
      environment: ["LATCHKEY_LOG_LEVEL": "Warning"])
    #expect(environment.logLevel == .warning)
  }
}
