import ArgumentParser
import LatchkeyCore

/// `latchkey resource add URL`: registers a protected MCP resource with its scopes.
struct ResourceAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Register a protected MCP resource.",
    discussion: """
      Example: latchkey resource add https://mcp.example.com/mcp --name Notes \
      --scope "notes:read=Read your notes" --scope "notes:write=Change your notes" \
      --default-scope notes:read --tool-scope add_note=notes:write
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The resource URL, exactly as tokens' aud will carry it.")
  var url: String

  @Option(name: .long, help: "Display name on the consent page (default: the URL).")
  var name: String?

  @Option(name: .long, help: "A scope as name=description (repeat).")
  var scope: [String] = []

  @Option(name: .customLong("default-scope"), help: "Scope granted when none is asked (repeat).")
  var defaultScope: [String] = []

  @Option(name: .customLong("tool-scope"), help: "Scopes a tool needs, as tool=scope,scope.")
  var toolScope: [String] = []

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      try ResourceInput.checkURL(url)
      let canonical = ResourceIndicatorRule.canonicalize(url)
      if let existing = try await session.store.resources().first(where: {
        ResourceIndicatorRule.canonicalize($0.url) == canonical
      }) {
        throw CLIError("the resource \(existing.url) already exists; use resource update")
      }
      let scopes = try ResourceInput.scopes(scope)
      let offered = ScopeSet(scopes.map(\.name))
      let defaults = ScopeSet(defaultScope)
      try ResourceInput.checkOffered(defaults, offered: offered, what: "--default-scope")
      let resource = Resource(
        url: url, name: name ?? url, scopes: scopes, defaultScopes: defaults,
        toolScopes: try ResourceInput.toolScopes(toolScope, offered: offered))
      try await session.store.upsertResource(resource)
      try await session.audit(
        "cli.resource.added", resource: url, scopes: offered, detail: "name=\(resource.name)")
      session.emit(json: json, ResourceRendering.json(resource)) {
        var lines = ["added resource \(url) with \(scopes.count) scope(s)"]
        if scopes.isEmpty { lines.append("warning: the resource offers no scopes yet") }
        if let note = ResourceInput.configurationNote(url, in: session) { lines.append(note) }
        return lines.joined(separator: "\n")
      }
    }
  }
}
