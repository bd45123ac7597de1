import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey doctor")
struct DoctorCommandTests {
  @Test func aHealthySetupPasses() async throws {
    let bed = try CLITestbed(issuer: "https://auth.example.com")
    try await bed.store.upsertResource(Fixtures.resource())
    _ = await bed.run("key", "rotate")
    let result = await bed.run("doctor")
    #expect(result.code == 0)
    #expect(result.out.contains("0 problem(s)"))
    let json = try await bed.run("doctor", "--json").object()
    #expect(json["problems"] as? Int == 0)
  }

  @Test func problemsAreReportedWithExitCode1() async throws {
    let bed = try CLITestbed(issuer: "http://auth.example.com")
    try await bed.store.upsertResource(
      Resource(url: "https://mcp.example.com/mcp", name: "Bare", scopes: []))
    #expect(chmod(bed.databasePath, 0o644) == 0)
    let result = await bed.run("doctor", "--json")
    #expect(result.code == 1)
    #expect(result.err == "error: doctor found 4 problem(s).\n")
    let json = try result.object()
    let findings = try #require(json["findings"] as? [[String: String]])
    let problems = findings.filter { $0["severity"] == "problem" }.compactMap { $0["check"] }
    #expect(
      Set(problems) == ["issuer", "database.permissions", "resources.scopes", "keys.active"])
  }

  @Test func oldAndFutureKeysAreProblems() async throws {
    let bed = try CLITestbed()
    try await bed.store.upsertResource(Fixtures.resource())
    _ = await bed.run("key", "rotate")
    bed.clock.advance(by: 91 * 86_400)
    let old = await bed.run("doctor")
    #expect(old.code == 1)
    #expect(old.out.contains("keys.age"))
    let lenient = await bed.run("doctor", "--max-key-age", "120")
    #expect(lenient.code == 0)

    let future = try CLITestbed()
    try await future.store.upsertResource(Fixtures.resource())
    future.clock.advance(by: 3600)
    _ = await future.run("key", "rotate")
    future.clock.advance(by: -3600)
    let skew = await future.run("doctor")
    #expect(skew.code == 1)
    #expect(skew.out.contains("keys.clock_skew"))
  }

  @Test func aMissingDatabaseIsAProblem() async throws {
    let bed = try CLITestbed()
    let path = bed.directory.appendingPathComponent("none.sqlite").path
    let result = await bed.run("doctor", "--database", path)
    #expect(result.code == 1)
    #expect(result.out.contains("does not exist"))
    #expect(!FileManager.default.fileExists(atPath: path))
  }
}
