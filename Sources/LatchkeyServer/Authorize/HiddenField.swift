/// One `<input type="hidden">` of a page form.
struct HiddenField: Sendable, Equatable {
  var name: String
  var value: String

  var templateValue: [String: String] { ["name": name, "value": value] }
}
