import ArgumentParser
import LatchkeyCore

/// `latchkey audit prune --before T`: deletes old events. The prune itself is audited.
struct AuditPruneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune", abstract: "Delete audit events older than a time.",
    discussion: "Example: latchkey audit prune --before 180d --yes")

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "Delete events before this timestamp, date, or duration ago (90d).")
  var before: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      let cutoff = try AuditFilterOptions.instant(before, now: session.now, option: "--before")
      try session.confirm(
        "Delete every audit event before \(TimeText.timestamp(cutoff))?", yes: yes)
      let deleted = try await session.store.pruneAudit(before: cutoff)
      try await session.audit(
        "cli.audit.pruned", detail: "before=\(TimeText.timestamp(cutoff)) deleted=\(deleted)")
      session.console.write(
        "deleted \(deleted) audit event(s) before \(TimeText.timestamp(cutoff))")
    }
  }
}
