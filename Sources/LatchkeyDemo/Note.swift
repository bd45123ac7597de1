/// One note of one subject.
public struct Note: Sendable, Equatable, Codable {
  public var id: Int
  public var text: String

  public init(id: Int, text: String) {
    self.id = id
    self.text = text
  }
}
