import ArgumentParser
import Foundation
import LatchkeyJOSE
import Testing

@testable import LatchkeyCommands

/// `serve` with identity provider presets and `private_key_jwt`: what cannot work stops it
/// before anything opens (exit code 64, `ValidationError`) with one sentence naming the
/// provider and the setting; a usable key file is accepted.
@Suite("serve: identity provider presets and private_key_jwt")
struct ServeIdentityProviderPresetTests {
  static func provider(_ members: String) throws -> String {
    try ServeConfigurationTests.configFile(
      #"{"issuer":"https://auth.example.com","identity_providers":[{"id":"corp","client_id":"a","#
        + members + "}]}")
  }

  static func refusal(_ path: String) -> String? {
    do {
      _ = try ServeCommand.parse(["--config", path]).resolvedConfiguration(environment: [:])
      return nil
    } catch let error as ValidationError {
      return error.message
    } catch {
      return "\(error)"
    }
  }

  static func keyFile(mode: Int) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-serve-key-\(UUID().uuidString).pem").path
    let pem = try SigningKey.generate(.es256).privateKeyPEM()
    #expect(
      FileManager.default.createFile(
        atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: mode]))
    #expect(chmod(path, mode_t(mode)) == 0)
    return path
  }

  @Test func aDomainNameTenantStopsServeWithItsReason() throws {
    let path = try Self.provider(
      #""client_secret_env":"S","preset":"entra","tenant":"contoso.onmicrosoft.com""#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let message = try #require(Self.refusal(path))
    #expect(message.hasPrefix("invalid configuration: identity provider \"corp\": tenant must be"))
  }

  @Test func aPrivateKeyFileOthersCanReadStopsServe() throws {
    let key = try Self.keyFile(mode: 0o640)
    defer { try? FileManager.default.removeItem(atPath: key) }
    let path = try Self.provider(
      #""issuer":"https://idp.example.com","token_endpoint_auth_method":"private_key_jwt","#
        + #""private_key_file":""# + key + #"""#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      Self.refusal(path)
        == "invalid configuration: identity provider \"corp\": private_key_file \(key) has mode 640, wider than 600; run chmod 600 on it"
    )
    #expect(chmod(key, 0o600) == 0)
    let configuration = try ServeCommand.parse(["--config", path])
      .resolvedConfiguration(environment: [:])
    #expect(configuration.identityProviders.first?.tokenEndpointAuthMethod == .privateKeyJWT)
  }

  @Test func aPresetFillsTheIssuerForServe() throws {
    let path = try Self.provider(
      #""client_secret_env":"CORP","preset":"keycloak","server_url":"https://sso.corp.example","#
        + #""realm":"staff""#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let configuration = try ServeCommand.parse(["--config", path])
      .resolvedConfiguration(environment: ["CORP": "s3cret-value"])
    #expect(
      configuration.identityProviders.first?.issuer == "https://sso.corp.example/realms/staff")
  }
}
