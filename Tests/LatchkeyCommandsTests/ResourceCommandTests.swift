import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeyCommands

@Suite("latchkey resource")
struct ResourceCommandTests {
  static let url = "https://mcp.example.com/mcp"

  @Test func addListUpdateRemove() async throws {
    let bed = try CLITestbed()
    let added = await bed.run(
      "resource", "add", Self.url, "--name", "Notes", "--scope", "notes:read=Read your notes",
      "--scope", "notes:write=Change your notes", "--default-scope", "notes:read",
      "--tool-scope", "add_note=notes:write")
    #expect(added.code == 0)
    let resource = try #require(try await bed.store.resource(url: Self.url))
    #expect(resource.scopes.map(\.description) == ["Read your notes", "Change your notes"])
    #expect(resource.defaultScopes == ScopeSet(["notes:read"]))
    #expect(resource.toolScopes == ["add_note": ScopeSet(["notes:write"])])

    let table = await bed.run("resource", "list")
    #expect(table.out.contains("URL") && table.out.contains("add_note=notes:write"))
    let json = try await bed.run("resource", "list", "--json").array()
    #expect(json[0]["url"] as? String == Self.url)
    #expect(json[0]["default_scopes"] as? [String] == ["notes:read"])
    #expect((json[0]["tool_scopes"] as? [String: [String]])?["add_note"] == ["notes:write"])
    let scopes = try #require(json[0]["scopes"] as? [[String: String]])
    #expect(scopes[0] == ["name": "notes:read", "description": "Read your notes"])

    let updated = await bed.run("resource", "update", Self.url, "--name", "Notebook")
    #expect(updated.code == 0)
    #expect(try await bed.store.resource(url: Self.url)?.name == "Notebook")
    #expect(try await bed.store.resource(url: Self.url)?.scopes.count == 2)

    let removed = await bed.run("resource", "remove", Self.url, "--yes")
    #expect(removed.code == 0)
    #expect(try await bed.store.resources().isEmpty)
    #expect(
      try await bed.cliAudit().map(\.type) == [
        "cli.resource.added", "cli.resource.updated", "cli.resource.removed",
      ])
  }

  @Test func badInputChangesNothing() async throws {
    let bed = try CLITestbed()
    let insecure = await bed.run("resource", "add", "http://mcp.example.com/mcp", "--scope", "a=A")
    #expect(insecure.code == 1)
    #expect(insecure.err.contains("must use https"))
    let fragment = await bed.run("resource", "add", "https://mcp.example.com/mcp#x")
    #expect(fragment.code == 1)
    let unknownDefault = await bed.run(
      "resource", "add", Self.url, "--scope", "a=A", "--default-scope", "b")
    #expect(unknownDefault.code == 1)
    #expect(unknownDefault.err.contains("does not offer: b"))
    let badTool = await bed.run("resource", "add", Self.url, "--scope", "a=A", "--tool-scope", "x")
    #expect(badTool.code == 1)
    let badScope = await bed.run("resource", "add", Self.url, "--scope", "bad\"scope=x")
    #expect(badScope.code == 1)
    #expect(try await bed.store.resources().isEmpty)

    _ = await bed.run("resource", "add", Self.url, "--scope", "a=A")
    let duplicate = await bed.run(
      "resource", "add", "HTTPS://MCP.example.com/mcp", "--scope", "b=B")
    #expect(duplicate.code == 1)
    #expect(duplicate.err.contains("already exists"))
    let unknown = await bed.run("resource", "update", "https://other.example/mcp", "--name", "X")
    #expect(unknown.code == 1)
    #expect(unknown.err == "error: no resource has the URL https://other.example/mcp.\n")
    let nothing = await bed.run("resource", "update", Self.url)
    #expect(nothing.code == 64)
    let shrink = await bed.run("resource", "update", Self.url, "--default-scope", "zzz")
    #expect(shrink.code == 1)
    #expect(try await bed.store.resource(url: Self.url)?.defaultScopes == .empty)
  }

  @Test func addWithoutScopesWarns() async throws {
    let bed = try CLITestbed()
    let added = await bed.run("resource", "add", "http://127.0.0.1:3000/mcp")
    #expect(added.code == 0)
    #expect(added.out.contains("warning: the resource offers no scopes"))
  }
}
