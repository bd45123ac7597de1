import Foundation
import LatchkeyHTTP
import Testing

@testable import LatchkeyServer

/// Dropping read-only file pages from the page tables (issue 26's idle RSS): only mappings that
/// hold nothing private qualify, and the process keeps working after a real release.
@Suite("File-backed page release")
struct FileBackedPagesTests {
  static let smaps = """
    55d4c8a00000-55d4c8a22000 r--p 00000000 08:01 1234 /usr/bin/latchkey
    Size:                136 kB
    Rss:                 136 kB
    Anonymous:             0 kB
    VmFlags: rd mr mw me dw sd
    55d4c8a22000-55d4c8b00000 r-xp 00022000 08:01 1234 /usr/bin/latchkey
    Rss:                 512 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me dw sd
    55d4c8b00000-55d4c8b10000 r--p 00100000 08:01 1234 /usr/bin/latchkey
    Rss:                  64 kB
    Anonymous:            64 kB
    VmFlags: rd mr mw me dw ac sd
    55d4c8b10000-55d4c8b20000 rw-p 00110000 08:01 1234 /usr/bin/latchkey
    Rss:                  64 kB
    Anonymous:            32 kB
    VmFlags: rd wr mr mw me dw ac sd
    7f0000000000-7f0000100000 rw-s 00000000 08:01 99 /var/lib/latchkey/db.sqlite-shm
    Rss:                  32 kB
    Anonymous:             0 kB
    VmFlags: rd wr sh mr mw me ms sd
    7f0000100000-7f0000200000 r-xp 00000000 08:01 77 /usr/lib/libpinned.so
    Rss:                 256 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me lo sd
    7f0000200000-7f0000300000 r--p 00000000 08:01 78 /usr/lib/libuntouched.so
    Rss:                   0 kB
    Anonymous:             0 kB
    VmFlags: rd mr mw me sd
    7f0000300000-7f0000400000 rw-p 00000000 00:00 0
    Rss:                 900 kB
    Anonymous:           900 kB
    VmFlags: rd wr mr mw me ac sd
    7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
    Rss:                   8 kB
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me de sd
    7f0000400000-7f0000500000 r--p 00000000 00:05 3 /dev/zero
    Rss:                   4 kB
    Anonymous:             0 kB
    VmFlags: rd mr mw me sd
    """

  @Test func parsesEveryMappingWithItsFields() {
    let mappings = FileBackedPageRule.mappings(smaps: Self.smaps)
    #expect(mappings.count == 10)
    #expect(
      mappings.first
        == MemoryMapping(
          start: 0x55d4_c8a0_0000, end: 0x55d4_c8a2_2000, permissions: "r--p",
          path: "/usr/bin/latchkey", residentBytes: 136 * 1024, anonymousBytes: 0,
          flags: ["rd", "mr", "mw", "me", "dw", "sd"]))
    #expect(mappings[7].path == "")
    #expect(mappings[8].path == "[vdso]")
  }

  /// Text and read-only data with nothing private: released. Relocated read-only data
  /// (private copies), writable or shared mappings, locked ones, untouched ones, memory that
  /// is not a file and device files: kept.
  @Test func releasesOnlyCleanReadOnlyFileMappings() {
    let released = FileBackedPageRule.mappings(smaps: Self.smaps)
      .filter(FileBackedPageRule.mayRelease)
      .map { "\($0.permissions) \($0.path)" }
    #expect(released == ["r--p /usr/bin/latchkey", "r-xp /usr/bin/latchkey"])
  }

  /// Without an `Anonymous:` line nothing proves the mapping is clean: it is kept.
  @Test func aMappingWhoseAnonymousFieldIsMissingIsKept() {
    let mappings = FileBackedPageRule.mappings(
      smaps: "55d4c8a22000-55d4c8b00000 r-xp 00022000 08:01 1234 /usr/bin/latchkey\nRss: 512 kB\n")
    #expect(mappings.count == 1)
    #expect(mappings[0].anonymousBytes == nil)
    #expect(!FileBackedPageRule.mayRelease(mappings[0]))
  }

  @Test func aHeaderWithoutAPathIsAnonymous() {
    let mappings = FileBackedPageRule.mappings(
      smaps: "7f0000300000-7f0000400000 rw-p 00000000 00:00 0\nRss: 4 kB\n")
    #expect(mappings.count == 1)
    #expect(mappings[0].path.isEmpty)
    #expect(mappings[0].residentBytes == 4096)
  }

  #if os(Linux)
    /// A real release on this test process: file-backed RSS goes down, and code, constants and
    /// heap data all still work afterwards (they come back with minor faults).
    @Test func aRealReleaseLowersFileBackedRSSAndTheProcessKeepsWorking() throws {
      let before = try Self.statusField("RssFile")
      let released = FileBackedPages.release()
      let after = try Self.statusField("RssFile")
      #expect(released > 0)
      #expect(after < before)
      let encoded = try JSONEncoder().encode(["still": "working"])
      #expect(String(decoding: encoded, as: UTF8.self) == #"{"still":"working"}"#)
      #expect(MemoryReturnRule.shouldRelease(sincePrevious: 0, sinceRelease: 5_000))
    }

    static func statusField(_ name: String) throws -> Int {
      let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
      let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(name + ":") })
      return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }
  #endif
}
