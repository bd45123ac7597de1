import Foundation
import LatchkeyMCP
import LatchkeyMCPSwiftSDK
import MCP

/// Builds one MCP `Server` (per session) whose tools work on `store` for the caller's subject.
struct NotesServerFactory: Sendable {
  let store: NotesStore
  /// Subject used when no identity is present (unprotected variant only); nil → refuse.
  let anonymousSubject: String?
  /// `upstream_whoami`, listed only when the server has an upstream token source.
  var whoami: UpstreamWhoami? = nil

  func makeServer() async -> Server {
    let server = Server(
      name: "latchkey-notes", version: "1.0.0",
      capabilities: .init(tools: .init(listChanged: false)))
    let tools = NotesTools.all + (whoami == nil ? [] : [NotesTools.upstreamWhoami])
    await server.withMethodHandler(ListTools.self) { _ in
      ListTools.Result(tools: tools)
    }
    await server.withMethodHandler(CallTool.self) { [store, anonymousSubject, whoami] params in
      let identity = VerifiedIdentity.current
      guard let subject = identity?.subject ?? anonymousSubject else {
        return CallTool.Result(content: [Self.text("Not authenticated.")], isError: true)
      }
      await store.countCall()
      if params.name == NotesTools.upstreamWhoami.name, let whoami {
        guard let identity else {
          return CallTool.Result(content: [Self.text("Not authenticated.")], isError: true)
        }
        return await whoami.call(identity: identity)
      }
      return await Self.call(params, subject: subject, store: store)
    }
    return server
  }

  static func text(_ value: String) -> Tool.Content {
    .text(text: value, annotations: nil, _meta: nil)
  }

  static func call(_ params: CallTool.Parameters, subject: String, store: NotesStore) async
    -> CallTool.Result
  {
    let arguments = params.arguments ?? [:]
    switch params.name {
    case "list_notes":
      let notes = await store.list(subject: subject)
      let lines = notes.map { "\($0.id): \($0.text)" }
      return CallTool.Result(content: [
        Self.text(lines.isEmpty ? "No notes." : lines.joined(separator: "\n"))
      ])
    case "read_note":
      guard let id = arguments["id"]?.intValue,
        let note = await store.read(subject: subject, id: id)
      else { return CallTool.Result(content: [Self.text("No such note.")], isError: true) }
      return CallTool.Result(content: [Self.text(note.text)])
    case "add_note":
      guard let text = arguments["text"]?.stringValue, !text.isEmpty else {
        return CallTool.Result(content: [Self.text("Missing text.")], isError: true)
      }
      let note = await store.add(subject: subject, text: text)
      return CallTool.Result(content: [Self.text("Added note \(note.id).")])
    case "delete_note":
      guard let id = arguments["id"]?.intValue, await store.delete(subject: subject, id: id)
      else { return CallTool.Result(content: [Self.text("No such note.")], isError: true) }
      return CallTool.Result(content: [Self.text("Deleted note \(id).")])
    default:
      return CallTool.Result(content: [Self.text("Unknown tool \(params.name).")], isError: true)
    }
  }
}
