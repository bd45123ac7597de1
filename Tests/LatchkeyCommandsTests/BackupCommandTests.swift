import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey backup")
struct BackupCommandTests {
  @Test func backsUpALiveStoreToA0600FileWithEveryRow() async throws {
    let bed = try CLITestbed()
    #expect(
      await bed.run("user", "add", "alice", "--password-stdin", stdin: "pw-alice\n").code == 0)
    #expect(
      await bed.run(
        "client", "add", "--id", "c-1", "--name", "One", "--redirect-uri",
        "http://127.0.0.1/cb"
      ).code == 0)
    let target = bed.directory.appendingPathComponent("backups/copy.sqlite").path

    // The testbed's own store stays open and keeps writing while the backup runs.
    async let writes: Void = {
      for index in 0..<20 {
        try await bed.store.appendAudit(
          AuditEvent(time: Date(), type: "test.write", outcome: .success, detail: "\(index)"))
      }
    }()
    let result = await bed.run("backup", "--to", target)
    try await writes
    #expect(result.code == 0, "\(result.err)")
    #expect(result.out.contains("integrity ok"))

    let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions]
    #expect((mode as? NSNumber)?.intValue == 0o600)
    let copy = try SQLiteStore(path: target, configuration: .init(migrateOnOpen: false))
    defer { try? copy.close() }
    #expect(try await copy.user(username: "alice") != nil)
    #expect(try await copy.clients().map(\.id).contains("c-1"))
    #expect(
      try copy.appliedMigrations().map(\.version) == RepositoryMigrations.sqlite.map(\.version))
    #expect(try copy.integrityCheck())
  }

  @Test func refusesToOverwriteAnExistingFile() async throws {
    let bed = try CLITestbed()
    let target = bed.directory.appendingPathComponent("exists.sqlite").path
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
    let result = await bed.run("backup", "--to", target)
    #expect(result.code == 1)
    #expect(result.err.contains("already exists"))
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
  }
}
