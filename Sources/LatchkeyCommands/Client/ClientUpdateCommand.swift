import ArgumentParser
import LatchkeyCore

/// `latchkey client update ID`: changes name, redirect URIs, grant types or scopes. Options
/// given replace the stored value; options left out keep it.
struct ClientUpdateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update",
    abstract: "Change a client's name, redirect URIs, grant types or scopes.",
    discussion: "Each option given replaces the stored value. Use rotate-secret for the secret.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The client id.")
  var id: String

  @Option(name: .long, help: "New display name.")
  var name: String?

  @Option(name: .customLong("redirect-uri"), help: "Redirect URI (repeat; replaces all).")
  var redirectURIs: [String] = []

  @Option(name: .customLong("grant-type"), help: "Grant type (repeat; replaces all).")
  var grantTypes: [String] = []

  @Option(name: .long, help: "Space-separated allowed scopes (\"\" means any).")
  var scope: String?

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func validate() throws {
    if name == nil, redirectURIs.isEmpty, grantTypes.isEmpty, scope == nil {
      throw ValidationError(
        "Nothing to change: give --name, --redirect-uri, --grant-type or --scope.")
    }
  }

  func run() async throws {
    try await store.withSession { session in
      var client = try await ClientRendering.existing(id, in: session)
      let metadata = try ClientInput.validate(
        redirectURIs: redirectURIs.isEmpty ? client.redirectURIs : redirectURIs,
        name: name ?? client.name, authMethod: client.tokenEndpointAuthMethod.rawValue,
        grantTypes: grantTypes.isEmpty ? client.grantTypes.map(\.rawValue) : grantTypes,
        applicationType: client.applicationType.rawValue,
        scope: scope ?? client.allowedScopes.parameter)
      client.name = metadata.name
      client.redirectURIs = metadata.redirectURIs
      client.grantTypes = metadata.grantTypes
      client.allowedScopes = metadata.allowedScopes
      try await session.store.updateClient(client)
      let changed = [
        name.map { _ in "name" }, redirectURIs.isEmpty ? nil : "redirect_uris",
        grantTypes.isEmpty ? nil : "grant_types", scope.map { _ in "scopes" },
      ].compactMap { $0 }.joined(separator: ",")
      try await session.audit("cli.client.updated", clientID: id, detail: "changed=\(changed)")
      session.emit(json: json, ClientRendering.json(client)) { "updated client \(id) (\(changed))" }
    }
  }
}
