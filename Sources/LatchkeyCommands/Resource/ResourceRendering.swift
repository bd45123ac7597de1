import LatchkeyCore

/// The `--json` form and table of resources.
enum ResourceRendering {
  static func json(_ resource: Resource) -> JSONValue {
    .object([
      "url": .string(resource.url),
      "name": .string(resource.name),
      "scopes": .array(
        resource.scopes.map {
          .object(["name": .string($0.name), "description": .string($0.description)])
        }),
      "default_scopes": JSONValue(resource.defaultScopes.tokens),
      "tool_scopes": .object(resource.toolScopes.mapValues { JSONValue($0.tokens) }),
    ])
  }

  static func table(_ resources: [Resource]) -> String {
    var table = Table(["URL", "NAME", "SCOPES", "DEFAULT", "TOOLS"])
    for resource in resources {
      let tools = resource.toolScopes.keys.sorted().map { tool in
        "\(tool)=\(resource.toolScopes[tool]?.tokens.joined(separator: ",") ?? "")"
      }
      table.append([
        resource.url, resource.name, resource.offeredScopes.parameter,
        resource.defaultScopes.parameter, tools.joined(separator: " "),
      ])
    }
    return table.rendered()
  }

  static func existing(_ url: String, in session: AdminSession) async throws -> Resource {
    guard let resource = try await session.store.resource(url: url) else {
      throw CLIError("no resource has the URL \(url)")
    }
    return resource
  }
}
