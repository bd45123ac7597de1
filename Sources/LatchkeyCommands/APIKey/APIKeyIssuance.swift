import Foundation
import LatchkeyCore

/// What `apikey create` and `apikey rotate` share: finding the owner and the resource, the
/// scope and expiry rules, and the one-time display of the key.
enum APIKeyIssuance {
  /// The default lifetime of a key (`--expires`).
  static let defaultLifetime = "90d"

  /// The owner named by `--user` (username or id; the user must not be disabled) or
  /// `--client` (an existing client).
  static func owner(user: String?, client: String?, in session: AdminSession) async throws
    -> (APIKeyOwner, Client?)
  {
    if let user {
      let record = try await UserRendering.existing(user, in: session)
      guard !record.disabled else { throw CLIError("the user \(record.username) is disabled") }
      return (.user(record.id), nil)
    }
    guard let client else { throw CLIError("give --user or --client") }
    let record = try await ClientRendering.existing(client, in: session)
    return (.client(record.id), record)
  }

  /// The resource named by `--resource` (compared canonically, RFC 8707), or the only one.
  static func resource(_ url: String?, in session: AdminSession) async throws -> Resource {
    let resources = try await session.store.resources()
    guard let url else {
      guard resources.count == 1, let only = resources.first else {
        throw CLIError(
          resources.isEmpty
            ? "no resource exists yet; add one with latchkey resource add"
            : "several resources exist; name one with --resource")
      }
      return only
    }
    let canonical = ResourceIndicatorRule.canonicalize(url)
    guard let canonical,
      let found = resources.first(where: { ResourceIndicatorRule.canonicalize($0.url) == canonical }
      )
    else { throw CLIError("no resource has the URL \(url)") }
    return found
  }

  /// `--scope` under `APIKeyRule.scopes`.
  static func scopes(_ text: String?, resource: Resource, serviceClient: Client?) throws
    -> ScopeSet
  {
    var requested: ScopeSet?
    if let text {
      guard let parsed = ScopeSet(parameter: text) else {
        throw CLIError("--scope must be space-separated scope tokens")
      }
      requested = parsed
    }
    switch APIKeyRule.scopes(requested: requested, resource: resource, serviceClient: serviceClient)
    {
    case .success(let scopes): return scopes
    case .failure(let error): throw CLIError(error.publicDescription)
    }
  }

  /// Seconds of `--expires` (a duration such as 90d, 12h; at least a minute).
  static func lifetime(_ text: String) throws -> TimeInterval {
    guard let seconds = TimeText.duration(text), seconds >= 60 else {
      throw CLIError("--expires must be a duration of at least a minute, like 90d or 12h")
    }
    return seconds
  }

  /// A new key for `owner`: the secret (shown once) and the record holding only its hash.
  static func make(
    name: String, owner: APIKeyOwner, resource: String, scopes: ScopeSet, now: Date,
    lifetime: TimeInterval
  ) -> (secret: String, record: APIKey) {
    let (secret, id) = APIKeyFormat.generate()
    let record = APIKey(
      id: id, keyHash: SecretHash.of(secret), name: name, owner: owner, resource: resource,
      scopes: scopes, createdAt: Date(millis: now.millis),
      expiresAt: Date(millis: now.addingTimeInterval(lifetime).millis))
    return (secret, record)
  }

  /// The text shown after create or rotate.
  static func announcement(_ key: APIKey, secret: String, verb: String) -> String {
    [
      "\(verb) API key \(key.id) (\(key.name)) for \(APIKeyRendering.ownerText(key.owner)) at "
        + "\(key.resource), scopes \(key.scopes.parameter), expires "
        + TimeText.timestamp(key.expiresAt),
      "api_key: \(secret)",
      "store this key now: it is shown only once and cannot be recovered",
    ].joined(separator: "\n")
  }
}
