import ArgumentParser
import LatchkeyCore

/// `latchkey resource update URL`: options given replace the stored value.
struct ResourceUpdateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update",
    abstract: "Change a resource's name, scopes, default scopes or tool scopes.",
    discussion: "Each option given replaces the stored value (all --scope options together).")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The resource URL.")
  var url: String

  @Option(name: .long, help: "New display name.")
  var name: String?

  @Option(name: .long, help: "A scope as name=description (repeat; replaces all).")
  var scope: [String] = []

  @Option(name: .customLong("default-scope"), help: "Default scope (repeat; replaces all).")
  var defaultScope: [String] = []

  @Option(name: .customLong("tool-scope"), help: "tool=scope,scope (repeat; replaces all).")
  var toolScope: [String] = []

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func validate() throws {
    if name == nil, scope.isEmpty, defaultScope.isEmpty, toolScope.isEmpty {
      throw ValidationError(
        "Nothing to change: give --name, --scope, --default-scope or --tool-scope.")
    }
  }

  func run() async throws {
    try await store.withSession { session in
      var resource = try await ResourceRendering.existing(url, in: session)
      if let name { resource.name = name }
      if !scope.isEmpty { resource.scopes = try ResourceInput.scopes(scope) }
      let offered = resource.offeredScopes
      if !defaultScope.isEmpty { resource.defaultScopes = ScopeSet(defaultScope) }
      if !toolScope.isEmpty {
        resource.toolScopes = try ResourceInput.toolScopes(toolScope, offered: offered)
      }
      try ResourceInput.checkOffered(
        resource.defaultScopes, offered: offered, what: "--default-scope")
      for (tool, scopes) in resource.toolScopes {
        try ResourceInput.checkOffered(scopes, offered: offered, what: "the tool \(tool)")
      }
      try await session.store.upsertResource(resource)
      try await session.audit("cli.resource.updated", resource: url, scopes: offered)
      session.emit(json: json, ResourceRendering.json(resource)) {
        ["updated resource \(url)", ResourceInput.configurationNote(url, in: session)]
          .compactMap { $0 }.joined(separator: "\n")
      }
    }
  }
}
