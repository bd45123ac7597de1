import Foundation
import LatchkeyCore

/// Parsing and checking resource options: `--scope name=description`,
/// `--default-scope name`, `--tool-scope tool=scope,scope`.
enum ResourceInput {
  /// RFC 8707 §2: an absolute URI without a fragment; https, or http only on loopback.
  static func checkURL(_ url: String) throws {
    guard ResourceIndicatorRule.canonicalize(url) != nil,
      let components = URLComponents(string: url), let host = components.host?.lowercased()
    else {
      throw CLIError("the resource URL \(url) must be an absolute URL without a fragment")
    }
    let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    guard components.scheme?.lowercased() == "https" || loopback else {
      throw CLIError("the resource URL \(url) must use https (http is allowed only on loopback)")
    }
  }

  static func scopes(_ specs: [String]) throws -> [ScopeDefinition] {
    var definitions: [ScopeDefinition] = []
    for spec in specs {
      let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
      let name = parts.first ?? ""
      try checkScopeName(name)
      if definitions.contains(where: { $0.name == name }) {
        throw CLIError("the scope \(name) is given twice")
      }
      definitions.append(
        ScopeDefinition(name: name, description: parts.count > 1 ? parts[1] : name))
    }
    return definitions
  }

  static func toolScopes(_ specs: [String], offered: ScopeSet) throws -> [String: ScopeSet] {
    var map: [String: ScopeSet] = [:]
    for spec in specs {
      let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty else {
        throw CLIError("--tool-scope \(spec) must look like tool=scope[,scope]")
      }
      let scopes = ScopeSet(
        parts[1].split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
      try checkOffered(scopes, offered: offered, what: "the tool \(parts[0])")
      map[parts[0]] = scopes
    }
    return map
  }

  static func checkOffered(_ scopes: ScopeSet, offered: ScopeSet, what: String) throws {
    let unknown = scopes.subtracting(offered)
    if !unknown.isEmpty {
      throw CLIError("\(what) names scopes the resource does not offer: \(unknown.parameter)")
    }
  }

  static func checkScopeName(_ name: String) throws {
    guard let parsed = ScopeSet(parameter: name), parsed.tokens == [name] else {
      throw CLIError("\(name.isEmpty ? "an empty name" : name) is not a valid scope name")
    }
  }

  /// A note when the configuration file also declares this resource: `serve` writes the file's
  /// version back at start.
  static func configurationNote(_ url: String, in session: AdminSession) -> String? {
    guard session.configuration.resources.contains(where: { $0.url == url }) else { return nil }
    return "note: the configuration file also declares \(url); serve restores the file's "
      + "version when it starts"
  }
}
