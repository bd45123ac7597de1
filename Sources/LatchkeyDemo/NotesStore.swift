/// In-memory notes, one list per subject (the verified `sub`), so users never see each
/// other's notes. Counts the tool calls it served (tests assert refused calls never got here).
public actor NotesStore {
  private var notes: [String: [Note]] = [:]
  private var nextID = 1
  /// Tool calls that reached the store.
  public private(set) var handledToolCalls = 0

  public init() {}

  func countCall() { handledToolCalls += 1 }

  public func list(subject: String) -> [Note] { notes[subject] ?? [] }

  public func read(subject: String, id: Int) -> Note? {
    notes[subject]?.first { $0.id == id }
  }

  public func add(subject: String, text: String) -> Note {
    let note = Note(id: nextID, text: text)
    nextID += 1
    notes[subject, default: []].append(note)
    return note
  }

  public func delete(subject: String, id: Int) -> Bool {
    guard let index = notes[subject]?.firstIndex(where: { $0.id == id }) else { return false }
    notes[subject]?.remove(at: index)
    return true
  }
}
