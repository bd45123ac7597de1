public import ServiceLifecycle

#if os(Linux)
  import Glibc
#endif

/// One mapping of `/proc/self/smaps`: its address range, permissions, file and the fields the
/// release rule reads.
public struct MemoryMapping: Equatable, Sendable {
  public var start: UInt
  public var end: UInt
  /// `r-xp`, `r--p`, `rw-p`, `rw-s`…
  public var permissions: String
  /// The mapped file's path; empty or `[heap]`-style for memory that is not a file.
  public var path: String
  /// Bytes of the mapping now in this process's page tables.
  public var residentBytes: Int
  /// Bytes of the mapping that are private copies (written to, or copy-on-write relocated).
  /// Nil when smaps did not report it (then nothing proves the mapping holds no private
  /// page, and it is kept).
  public var anonymousBytes: Int?
  /// `VmFlags` (proc(5)): `lo` locked, `io`/`pf` device or PFN mappings…
  public var flags: Set<String>

  public init(
    start: UInt, end: UInt, permissions: String, path: String, residentBytes: Int,
    anonymousBytes: Int?, flags: Set<String>
  ) {
    self.start = start
    self.end = end
    self.permissions = permissions
    self.path = path
    self.residentBytes = residentBytes
    self.anonymousBytes = anonymousBytes
    self.flags = flags
  }
}

/// Which mappings may have their pages dropped from the page tables without losing anything.
///
/// RSS counts every page of a mapped file that this process touched, and the kernel maps
/// neighbouring pages of a file on each fault (`fault_around_bytes`, 64 KiB), so start-up code
/// that runs once (argument parsing, migrations, key loading, libraries' initialisers) leaves
/// tens of megabytes of the binary's and libraries' text resident. For a private file mapping
/// that nothing wrote to, `madvise(MADV_DONTNEED)` only removes the page-table entries
/// (madvise(2): "subsequent accesses … repopulate the memory contents from the up-to-date
/// contents of the underlying mapped file"): the pages stay in the kernel's page cache, and the
/// next use is a minor fault. Memory reclaim does the same to such pages at any time, so the
/// process cannot tell. A mapping with any private (anonymous) page is never touched: those
/// pages hold relocations or data that exist nowhere else.
public enum FileBackedPageRule {
  /// True when dropping `mapping`'s resident pages loses nothing: a read-only private mapping
  /// of a regular file, with no private page, not locked and not a device or PFN mapping.
  public static func mayRelease(_ mapping: MemoryMapping) -> Bool {
    let permissions = Array(mapping.permissions)
    guard permissions.count == 4, permissions[1] == "-", permissions[3] == "p" else { return false }
    guard mapping.path.hasPrefix("/"), !mapping.path.hasPrefix("/dev/") else { return false }
    guard mapping.anonymousBytes == 0, mapping.residentBytes > 0 else { return false }
    // `== 0` is false for nil: a kernel (or a sandbox's /proc) that does not report
    // `Anonymous:` never has a mapping released.
    return mapping.flags.isDisjoint(with: ["lo", "io", "pf", "ht", "um", "uw"])
  }

  /// Parses the text of `/proc/self/smaps` (proc(5)) into mappings; lines it does not know
  /// are skipped.
  public static func mappings(smaps: String) -> [MemoryMapping] {
    var result: [MemoryMapping] = []
    for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
      if let header = header(line) {
        result.append(header)
        continue
      }
      guard !result.isEmpty else { continue }
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard let name = fields.first else { continue }
      switch name {
      case "Rss:": result[result.count - 1].residentBytes = kilobytes(fields)
      case "Anonymous:": result[result.count - 1].anonymousBytes = kilobytes(fields)
      case "VmFlags:": result[result.count - 1].flags = Set(fields.dropFirst().map(String.init))
      default: break
      }
    }
    return result
  }

  /// `start-end perms offset dev inode [path]`, or nil for a field line.
  private static func header(_ line: Substring) -> MemoryMapping? {
    let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
    guard fields.count >= 5, !fields[0].hasSuffix(":") else { return nil }
    let range = fields[0].split(separator: "-")
    guard range.count == 2, let start = UInt(range[0], radix: 16),
      let end = UInt(range[1], radix: 16), fields[1].count == 4
    else { return nil }
    let path = fields.count > 5 ? String(fields[5].drop(while: { $0 == " " })) : ""
    return MemoryMapping(
      start: start, end: end, permissions: String(fields[1]), path: path, residentBytes: 0,
      anonymousBytes: nil, flags: [])
  }

  private static func kilobytes(_ fields: [Substring]) -> Int {
    fields.count >= 2 ? (Int(fields[1]) ?? 0) * 1024 : 0
  }
}

/// Drops the resident pages of read-only file mappings from this process's page tables
/// (`FileBackedPageRule`); what is used again comes back with a minor fault.
public enum FileBackedPages {
  /// Releases what the rule allows; returns the bytes that were resident in those mappings
  /// (0 where `/proc/self/smaps` cannot be read, or off Linux).
  @discardableResult
  public static func release() -> Int {
    #if os(Linux)
      guard let smaps = readProcFile("/proc/self/smaps") else { return 0 }
      var released = 0
      for mapping in FileBackedPageRule.mappings(smaps: smaps)
      where FileBackedPageRule.mayRelease(mapping) {
        guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
        if madvise(address, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 {
          released += mapping.residentBytes
        }
      }
      return released
    #else
      return 0
    #endif
  }

  #if os(Linux)
    /// The whole text of a `/proc` file (their size is 0 to `stat`, so read until EOF).
    private static func readProcFile(_ path: String) -> String? {
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { return nil }
      defer { close(descriptor) }
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 65_536)
      while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 { return nil }
        if count == 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  #endif
}

/// Releases file pages (`FileBackedPages`) once start-up has settled, then waits for the
/// service group to shut down: for a server process without a load-aware memory service
/// (`latchkey proxy`; `latchkey serve` does it in its `MemoryReturn`).
public struct SettledFilePageRelease: Service {
  let settle: Duration

  public init(settle: Duration = .seconds(1)) { self.settle = settle }

  public func run() async throws {
    do {
      try await cancelWhenGracefulShutdown { try await Task.sleep(for: settle) }
    } catch {
      return
    }
    FileBackedPages.release()
    try? await gracefulShutdown()
  }
}
