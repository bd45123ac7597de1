import LatchkeyMCP
import Synchronization

final class RecordingAuditSink: ToolCallAuditSink {
  private let records = Mutex<[ToolCallAuditRecord]>([])

  var all: [ToolCallAuditRecord] { records.withLock { $0 } }

  func record(_ record: ToolCallAuditRecord) async {
    records.withLock { $0.append(record) }
  }
}
