import Foundation
import Logging
import Synchronization

/// The test side of `scripts/leak-scan` (issue 8 "Secrets never leak"). When the environment
/// names `LATCHKEY_LEAK_SCAN_DIR`, test clients call `observe` on every exchange: the secrets it
/// carried (passwords, codes, code verifiers, tokens, client secrets, cookies) are appended to
/// `secrets-<pid>.txt` and every error body to `bodies-<pid>.txt`; `bootstrapLogging` sends
/// every `Logger` of the process to `log-<pid>.txt` at `LATCHKEY_LOG_LEVEL` (default debug).
/// The script then looks for any recorded secret in the logs and the error bodies. Without the
/// variable everything here does nothing.
public enum LeakScan {
  public static let directory: String? = ProcessInfo.processInfo.environment[
    "LATCHKEY_LEAK_SCAN_DIR"]

  /// Form fields, JSON members and query parameters whose values are secrets.
  public static let secretNames: Set<String> = [
    "password", "code", "code_verifier", "refresh_token", "access_token", "client_secret",
    "token", "id_token",
  ]

  /// Once per process, before the loggers under test are made; idempotent.
  public static func bootstrapLogging() {
    _ = bootstrapped
  }

  private static let bootstrapped: Bool = {
    guard let directory else { return false }
    let level =
      ProcessInfo.processInfo.environment["LATCHKEY_LOG_LEVEL"].flatMap {
        Logger.Level(rawValue: $0.lowercased())
      } ?? .debug
    let sink = AppendingFile(path: "\(directory)/log-\(getpid()).txt")
    LoggingSystem.bootstrap { label in
      var handler = FileLogHandler(label: label, sink: sink)
      handler.logLevel = level
      return handler
    }
    return true
  }()

  /// Records secrets a test used (fixture passwords, minted tokens).
  public static func record(_ secrets: [String]) {
    guard directory != nil else { return }
    let lines = secrets.filter { $0.count >= 8 }.map {
      $0.replacingOccurrences(of: "\n", with: " ")
    }
    guard !lines.isEmpty else { return }
    secretsFile?.append(lines.joined(separator: "\n") + "\n")
  }

  /// One HTTP exchange as a test client saw it.
  public static func observe(
    requestHeaders: [(String, String)], requestBody: String?, status: Int,
    responseHeaders: [(String, String)], responseBody: [UInt8]
  ) {
    guard directory != nil else { return }
    var found: [String] = []
    for (name, value) in requestHeaders + responseHeaders {
      switch name.lowercased() {
      case "authorization":
        if let space = value.firstIndex(of: " ") {
          found.append(String(value[value.index(after: space)...]))
        }
      case "cookie":
        found += value.split(separator: ";").compactMap(sessionCookie)
      case "set-cookie":
        if let pair = value.split(separator: ";").first, let cookie = sessionCookie(pair) {
          found.append(cookie)
        }
      case "location":
        found += secretParameters(URLComponents(string: value)?.queryItems ?? [])
      default: break
      }
    }
    if let requestBody {
      found += formSecrets(requestBody)
      found += jsonSecrets(Array(requestBody.utf8))
    }
    found += jsonSecrets(responseBody)
    // Only values shaped like what Latchkey issues (tokens, codes, verifiers, cookies): the
    // hostile corpus also sends injection strings in these fields, and those are not secrets.
    record(found.filter(isTokenShaped))
    if status >= 400 {
      let text = String(decoding: responseBody, as: UTF8.self)
        .replacingOccurrences(of: "\n", with: " ")
      bodiesFile?.append("\(status) \(text)\n")
    }
  }

  /// 16 or more characters of base64url, JWT or b64token alphabet.
  static func isTokenShaped(_ value: String) -> Bool {
    value.utf8.count >= 16
      && value.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
          UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"),
          UInt8(ascii: "="):
          true
        default: false
        }
      }
  }

  /// The value of a `name=value` cookie pair, except the CSRF cookie: the double-submit token
  /// is by design also in every form of the page (RFC 6265 §4.1.1 pair syntax).
  static func sessionCookie(_ pair: Substring) -> String? {
    let parts = pair.split(separator: "=", maxSplits: 1)
    guard parts.count == 2, !parts[0].lowercased().contains("csrf") else { return nil }
    return String(parts[1])
  }

  /// Values of secret fields in an `application/x-www-form-urlencoded` body; undecodable
  /// pairs (the hostile corpus sends them) are skipped.
  static func formSecrets(_ body: String) -> [String] {
    body.split(separator: "&").compactMap { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2,
        let name = parts[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
        secretNames.contains(name)
      else { return nil }
      return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
  }

  static func secretParameters(_ items: [URLQueryItem]) -> [String] {
    items.compactMap { secretNames.contains($0.name) ? $0.value : nil }
  }

  static func jsonSecrets(_ bytes: [UInt8]) -> [String] {
    guard bytes.first == UInt8(ascii: "{"),
      let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    else { return [] }
    return object.compactMap { secretNames.contains($0.key) ? $0.value as? String : nil }
  }

  private static let secretsFile = directory.map {
    AppendingFile(path: "\($0)/secrets-\(getpid()).txt")
  }
  private static let bodiesFile = directory.map {
    AppendingFile(path: "\($0)/bodies-\(getpid()).txt")
  }
}

/// Appends text to a file from any thread.
final class AppendingFile: Sendable {
  private let handle: Mutex<FileHandle?>

  init(path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let file = FileHandle(forWritingAtPath: path)
    _ = try? file?.seekToEnd()
    handle = Mutex(file)
  }

  func append(_ text: String) {
    handle.withLock { _ = try? $0?.write(contentsOf: Data(text.utf8)) }
  }
}

/// One line per log event: level, label, message and metadata, as a console handler would.
struct FileLogHandler: LogHandler {
  let label: String
  let sink: AppendingFile
  var logLevel: Logger.Level = .debug
  var metadata: Logger.Metadata = [:]

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var all = metadata
    if let extra = event.metadata { all.merge(extra) { $1 } }
    let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      .joined(separator: " ")
    sink.append("\(event.level) \(label): \(event.message) \(rendered)\n")
  }
}
