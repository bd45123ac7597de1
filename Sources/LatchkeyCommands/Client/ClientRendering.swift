import Foundation
import LatchkeyCore

/// The documented `--json` form and table rows of a client. Never includes the secret hash.
enum ClientRendering {
  static func json(_ client: Client, secret: String? = nil, liveGrants: Int? = nil) -> JSONValue {
    var members: [String: JSONValue] = [
      "client_id": .string(client.id),
      "client_name": .string(client.name),
      "origin": .string(client.origin.rawValue),
      "redirect_uris": JSONValue(client.redirectURIs),
      "grant_types": JSONValue(client.grantTypes.map(\.rawValue)),
      "token_endpoint_auth_method": .string(client.tokenEndpointAuthMethod.rawValue),
      "application_type": .string(client.applicationType.rawValue),
      "scopes": JSONValue(client.allowedScopes.tokens),
      "client_uri": JSONValue(client.clientURI),
      "logo_uri": JSONValue(client.logoURI),
      "software_id": JSONValue(client.softwareID),
      "software_version": JSONValue(client.softwareVersion),
      "created_at": JSONValue(client.createdAt),
      "last_used_at": JSONValue(client.lastUsedAt),
    ]
    if let secret { members["client_secret"] = .string(secret) }
    if let liveGrants { members["live_grants"] = JSONValue(liveGrants) }
    return .object(members)
  }

  static func table(_ clients: [Client]) -> String {
    var table = Table([
      "CLIENT ID", "NAME", "ORIGIN", "AUTH", "REDIRECT URIS", "CREATED", "LAST USED",
    ])
    for client in clients {
      table.append([
        client.id, client.name, client.origin.rawValue, client.tokenEndpointAuthMethod.rawValue,
        client.redirectURIs.joined(separator: " "), TimeText.timestamp(client.createdAt),
        TimeText.timestamp(client.lastUsedAt, none: "never"),
      ])
    }
    return table.rendered()
  }

  /// `key: value` lines for `client show`.
  static func details(_ client: Client, liveGrants: Int) -> String {
    let lines: [(String, String)] = [
      ("client_id", client.id),
      ("name", client.name),
      ("origin", client.origin.rawValue),
      ("auth method", client.tokenEndpointAuthMethod.rawValue),
      ("application type", client.applicationType.rawValue),
      ("redirect uris", client.redirectURIs.joined(separator: " ")),
      ("grant types", client.grantTypes.map(\.rawValue).joined(separator: " ")),
      (
        "scopes",
        client.allowedScopes.isEmpty ? "(any the resource offers)" : client.allowedScopes.parameter
      ),
      ("client uri", client.clientURI ?? "-"),
      (
        "software",
        [client.softwareID, client.softwareVersion].compactMap { $0 }.joined(separator: " ")
      ),
      ("created", TimeText.timestamp(client.createdAt)),
      ("last used", TimeText.timestamp(client.lastUsedAt, none: "never")),
      ("live grants", "\(liveGrants)"),
    ]
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { name, value in
      (name + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + value
    }.joined(separator: "\n")
  }

  /// Looks a client up or fails with a sentence naming the id.
  static func existing(_ id: String, in session: AdminSession) async throws -> Client {
    guard let client = try await session.store.client(id: id) else {
      throw CLIError("no client has the id \(id)")
    }
    return client
  }
}
