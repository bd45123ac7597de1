import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey audit")
struct AuditCommandTests {
  /// Six events one minute apart: even ones `login` by u1, odd ones `token.issued` by u2 for c1;
  /// event 4 failed.
  static func seeded() async throws -> CLITestbed {
    let bed = try CLITestbed()
    for index in 0..<6 {
      try await bed.store.appendAudit(
        AuditEvent(
          time: Fixtures.epoch.addingTimeInterval(Double(index - 6) * 60),
          type: index % 2 == 0 ? "login" : "token.issued",
          outcome: index == 4 ? .failure : .success,
          userID: index % 2 == 0 ? "u1" : "u2", clientID: "c1", detail: "n\(index)"))
    }
    return bed
  }

  @Test func queryFilters() async throws {
    let bed = try await Self.seeded()
    let all = try await bed.run("audit", "query", "--json").array()
    #expect(all.map { $0["detail"] as? String } == ["n0", "n1", "n2", "n3", "n4", "n5"])
    #expect(all[0]["time"] as? String == "2027-01-15T07:54:00Z")
    #expect(all[0]["source_address"] is NSNull)
    let failures = try await bed.run("audit", "query", "--outcome", "failure", "--json").array()
    #expect(failures.map { $0["detail"] as? String } == ["n4"])
    let logins = try await bed.run("audit", "query", "--type", "login", "--user", "u1", "--json")
      .array()
    #expect(logins.count == 3)
    try await bed.store.insertUser(Fixtures.user(id: "u2", username: "bob", at: bed.clock.now()))
    let bob = try await bed.run("audit", "query", "--user", "bob", "--json").array()
    #expect(bob.map { $0["detail"] as? String } == ["n1", "n3", "n5"])
    let recent = try await bed.run("audit", "query", "--since", "150s", "--json").array()
    #expect(recent.map { $0["detail"] as? String } == ["n4", "n5"])
    let window = try await bed.run(
      "audit", "query", "--since", "2027-01-15T07:55:00Z", "--until", "2027-01-15T07:57:00Z",
      "--json"
    ).array()
    #expect(window.map { $0["detail"] as? String } == ["n1", "n2"])
    let table = await bed.run("audit", "query", "--limit", "2")
    #expect(table.out.split(separator: "\n").count == 3)
    let bad = await bed.run("audit", "query", "--since", "yesterday-ish")
    #expect(bad.code == 64)
    let badOutcome = await bed.run("audit", "query", "--outcome", "maybe")
    #expect(badOutcome.code == 64)
  }

  @Test func tailShowsTheNewestInOrder() async throws {
    let bed = try await Self.seeded()
    let tail = await bed.run("audit", "tail", "-n", "2")
    let lines = tail.out.split(separator: "\n")
    try #require(lines.count == 2, "\(tail)")
    #expect(lines[0].contains("login failure user=u1 client=c1 n4"))
    #expect(lines[1].hasSuffix("n5"))
    let json = await bed.run("audit", "tail", "-n", "3", "--json", "--type", "login")
    let objects = try json.out.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(objects.map { $0["detail"] as? String } == ["n0", "n2", "n4"])
  }

  @Test func followPrintsNewEvents() async throws {
    let bed = try await Self.seeded()
    let console = BufferConsole()
    let context = CommandContext(console: console, clock: bed.clock, environment: bed.environment)
    let task = Task {
      await LatchkeyCLI.run(
        ["audit", "tail", "-n", "1", "--follow", "--interval", "0.05"], context: context)
    }
    // Append only once the initial tail has printed, so "late" can only come from polling.
    for _ in 0..<200 where !console.state.withLock({ $0.out.contains("n5") }) {
      try await Task.sleep(for: .milliseconds(20))
    }
    try await bed.store.appendAudit(
      AuditEvent(time: Fixtures.epoch, type: "token.issued", outcome: .success, detail: "late"))
    var seen = false
    for _ in 0..<100 where !seen {
      try await Task.sleep(for: .milliseconds(50))
      seen = console.state.withLock { $0.out.contains("late") }
    }
    task.cancel()
    #expect(await task.value == 0)
    let out = console.state.withLock { $0.out }
    #expect(seen)
    #expect(out.split(separator: "\n").count == 2)
    #expect(out.contains("n5"))
  }

  @Test func pruneDeletesOldEventsAndAuditsItself() async throws {
    let bed = try await Self.seeded()
    let refused = await bed.run("audit", "prune", "--before", "150s")
    #expect(refused.code == 1)
    let pruned = await bed.run("audit", "prune", "--before", "150s", "--yes")
    #expect(pruned.code == 0)
    #expect(pruned.out.contains("deleted 4 audit event(s)"))
    let left = try await bed.store.auditEvents(matching: AuditQuery())
    #expect(left.map(\.type) == ["login", "token.issued", "cli.audit.pruned"])
    #expect(left.last?.detail?.contains("actor=cli") == true)
    let missing = await bed.run("audit", "prune", "--yes")
    #expect(missing.code == 64)
  }
}
