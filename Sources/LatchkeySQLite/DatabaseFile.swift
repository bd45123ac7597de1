import Foundation
import LatchkeyCore

/// File-system care for the database: it holds private signing keys and token hashes, so
/// only its owner may read it.
enum DatabaseFile {
  /// Creates the parent directory (0700) when missing and the file itself (0600) before SQLite
  /// opens it; an existing file is tightened to 0600.
  static func prepare(path: String) throws {
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if !FileManager.default.fileExists(atPath: parent) {
      do {
        try FileManager.default.createDirectory(
          atPath: parent, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      } catch {
        throw StoreError.unavailable("cannot create directory \(parent)")
      }
    }
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw StoreError.unavailable("cannot open \(path) (errno \(errno))")
    }
    defer { close(descriptor) }
    guard fchmod(descriptor, 0o600) == 0 else {
      throw StoreError.unavailable("cannot set mode 0600 on \(path) (errno \(errno))")
    }
  }

  /// SQLite creates `-wal` and `-shm` with the main file's mode; this makes sure of it.
  static func tightenCompanions(of path: String) {
    for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      _ = chmod(path + suffix, 0o600)
    }
  }
}
