import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey client")
struct ClientCommandTests {
  @Test func addAPublicClientAndListIt() async throws {
    let bed = try CLITestbed()
    let added = await bed.run(
      "client", "add", "--id", "cli-app", "--name", "CLI App",
      "--redirect-uri", "http://127.0.0.1/callback")
    #expect(added.code == 0)
    #expect(added.out.contains("added client cli-app (none)"))
    #expect(!added.out.contains("client_secret"))
    let stored = try #require(try await bed.store.client(id: "cli-app"))
    #expect(stored.origin == .preregistered)
    #expect(stored.secretHash == nil)
    #expect(stored.grantTypes == [.authorizationCode, .refreshToken])
    #expect(stored.applicationType == .native)

    try await bed.store.insertClient(
      Fixtures.client(id: "dcr-1", origin: .dynamic, at: bed.clock.now()))
    let table = await bed.run("client", "list")
    #expect(table.code == 0)
    let lines = table.out.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("CLIENT ID"))
    #expect(table.out.contains("dynamic") && table.out.contains("preregistered"))
    #expect(table.out.contains("never"))

    let json = try await bed.run("client", "list", "--json").array()
    #expect(json.count == 2)
    let first = try #require(json.first { $0["client_id"] as? String == "cli-app" })
    #expect(first["origin"] as? String == "preregistered")
    #expect(first["redirect_uris"] as? [String] == ["http://127.0.0.1/callback"])
    #expect(first["token_endpoint_auth_method"] as? String == "none")
    #expect(first["last_used_at"] is NSNull)
    #expect(first["client_secret"] == nil)
    let dynamic = try await bed.run("client", "list", "--origin", "dynamic", "--json").array()
    #expect(dynamic.map { $0["client_id"] as? String } == ["dcr-1"])

    let audit = try await bed.cliAudit()
    #expect(audit.map(\.type) == ["cli.client.added"])
    #expect(audit[0].clientID == "cli-app")
    #expect(audit[0].detail?.hasPrefix("actor=cli") == true)
  }

  @Test func aConfidentialClientSecretIsPrintedOnceAndStoredHashed() async throws {
    let bed = try CLITestbed()
    let added = try await bed.run(
      "client", "add", "--id", "backend", "--name", "Backend", "--auth-method",
      "client_secret_basic", "--redirect-uri", "https://app.example.com/cb", "--json"
    ).object()
    let secret = try #require(added["client_secret"] as? String)
    let stored = try #require(try await bed.store.client(id: "backend"))
    #expect(stored.secretHash == SecretHash.of(secret))
    #expect(stored.applicationType == .web)
    let shown = await bed.run("client", "show", "backend")
    #expect(!shown.out.contains(secret))
    #expect(shown.out.contains("client_secret_basic"))

    let rotated = try await bed.run("client", "rotate-secret", "backend", "--yes", "--json")
      .object()
    let newSecret = try #require(rotated["client_secret"] as? String)
    #expect(newSecret != secret)
    #expect(try await bed.store.client(id: "backend")?.secretHash == SecretHash.of(newSecret))
    #expect(
      try await bed.cliAudit().map(\.type) == ["cli.client.added", "cli.client.secret_rotated"])
  }

  @Test func rotateSecretOfAPublicClientIsRefused() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "client", "add", "--id", "pub", "--name", "Pub", "--redirect-uri", "http://127.0.0.1/cb")
    let result = await bed.run("client", "rotate-secret", "pub", "--yes")
    #expect(result.code == 1)
    #expect(
      result.err
        == "error: client pub is public (token_endpoint_auth_method none) and has no secret.\n")
  }

  @Test func showPrintsDetailsAndJSON() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "client", "add", "--id", "pub", "--name", "Pub", "--redirect-uri", "http://127.0.0.1/cb",
      "--scope", "notes:read")
    let text = await bed.run("client", "show", "pub")
    #expect(text.code == 0)
    #expect(text.out.contains("client_id:"))
    #expect(text.out.contains("live grants:"))
    let json = try await bed.run("client", "show", "pub", "--json").object()
    #expect(json["scopes"] as? [String] == ["notes:read"])
    #expect(json["live_grants"] as? Int == 0)
    #expect(json["created_at"] as? String == "2027-01-15T08:00:00Z")
  }

  @Test func invalidInputChangesNothing() async throws {
    let bed = try CLITestbed()
    let insecure = await bed.run(
      "client", "add", "--name", "Bad", "--redirect-uri", "http://app.example.com/cb")
    #expect(insecure.code == 1)
    #expect(insecure.err.contains("the redirect URI http://app.example.com/cb is not allowed"))
    let fragment = await bed.run(
      "client", "add", "--name", "Bad", "--redirect-uri", "https://app.example.com/cb#x")
    #expect(fragment.code == 1)
    let missing = await bed.run("client", "add", "--name", "No URI")
    #expect(missing.code == 64)
    #expect(missing.err.contains("--redirect-uri"))
    let noName = await bed.run("client", "add", "--redirect-uri", "http://127.0.0.1/cb")
    #expect(noName.code == 64)
    let badMethod = await bed.run(
      "client", "add", "--name", "X", "--redirect-uri", "http://127.0.0.1/cb",
      "--auth-method", "client_secret_jwt")
    #expect(badMethod.code == 1)
    #expect(try await bed.store.clients().isEmpty)
    #expect(try await bed.cliAudit().isEmpty)

    _ = await bed.run(
      "client", "add", "--id", "dup", "--name", "A", "--redirect-uri", "http://127.0.0.1/cb")
    let duplicate = await bed.run(
      "client", "add", "--id", "dup", "--name", "B", "--redirect-uri", "http://127.0.0.1/cb")
    #expect(duplicate.code == 1)
    #expect(duplicate.err == "error: a client with the id dup already exists.\n")
    #expect(try await bed.store.client(id: "dup")?.name == "A")

    for verb in [
      ["show"], ["remove", "--yes"], ["rotate-secret", "--yes"], ["update", "--name", "Z"],
    ] {
      let unknown = await bed.run(arguments: ["client", verb[0], "nope"] + verb.dropFirst())
      #expect(unknown.code == 1)
      #expect(unknown.err == "error: no client has the id nope.\n")
    }
  }

  @Test func updateReplacesGivenFieldsAndValidates() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "client", "add", "--id", "c", "--name", "Old", "--redirect-uri", "http://127.0.0.1/cb")
    let updated = await bed.run(
      "client", "update", "c", "--name", "New", "--redirect-uri", "http://127.0.0.1/a",
      "--redirect-uri", "http://[::1]/b")
    #expect(updated.code == 0)
    let client = try #require(try await bed.store.client(id: "c"))
    #expect(client.name == "New")
    #expect(client.redirectURIs == ["http://127.0.0.1/a", "http://[::1]/b"])
    let bad = await bed.run("client", "update", "c", "--redirect-uri", "https://*.example.com/cb")
    #expect(bad.code == 1)
    #expect(try await bed.store.client(id: "c")?.redirectURIs.count == 2)
    let nothing = await bed.run("client", "update", "c")
    #expect(nothing.code == 64)
    #expect(try await bed.cliAudit().map(\.type) == ["cli.client.added", "cli.client.updated"])
  }

  @Test func removeAsksOnATerminalAndRefusesWithoutOne() async throws {
    let bed = try CLITestbed()
    _ = await bed.run(
      "client", "add", "--id", "c", "--name", "C", "--redirect-uri", "http://127.0.0.1/cb")
    let refused = await bed.run("client", "remove", "c")
    #expect(refused.code == 1)
    #expect(refused.err.contains("without --yes"))
    let declined = await bed.run("client", "remove", "c", interactive: true, confirm: false)
    #expect(declined.code == 1)
    #expect(declined.err.contains("cancelled"))
    #expect(try await bed.store.client(id: "c") != nil)
    let accepted = await bed.run("client", "remove", "c", interactive: true, confirm: true)
    #expect(accepted.code == 0)
    #expect(try await bed.store.client(id: "c") == nil)
    #expect(try await bed.cliAudit().map(\.type) == ["cli.client.added", "cli.client.removed"])
  }

  @Test func aMissingDatabaseIsReportedNotCreated() async throws {
    let bed = try CLITestbed()
    let path = bed.directory.appendingPathComponent("missing.sqlite").path
    let result = await bed.run("client", "list", "--database", path)
    #expect(result.code == 1)
    #expect(result.err.contains("does not exist"))
    #expect(!FileManager.default.fileExists(atPath: path))
  }
}
