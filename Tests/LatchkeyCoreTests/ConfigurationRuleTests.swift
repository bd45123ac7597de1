import LatchkeyCore
import Testing

/// The pure parts of strict configuration decoding: key paths, unknown keys, closed sets.
@Suite("configuration rules")
struct ConfigurationRuleTests {
  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
      stringValue = "Index \(intValue)"
      self.intValue = intValue
    }
  }

  @Test func keyPathsReadLikeTheFile() {
    #expect(ConfigurationKeyPath.text([]) == "")
    #expect(
      ConfigurationKeyPath.text([Key(stringValue: "tokens"), Key(stringValue: "ttl")])
        == "tokens.ttl")
    let nested: [any CodingKey] = [
      Key(stringValue: "resources"), Key(intValue: 0), Key(stringValue: "scopes"),
      Key(intValue: 12),
      Key(stringValue: "name"),
    ]
    #expect(ConfigurationKeyPath.text(nested) == "resources[0].scopes[12].name")
  }

  @Test func theFirstUnknownKeyInSortedOrderIsNamed() {
    let known: Set = ["a", "b"]
    #expect(UnknownKeyRule.firstUnknown(["b", "a"], isKnown: known.contains) == nil)
    #expect(UnknownKeyRule.firstUnknown(["z", "b", "c"], isKnown: known.contains) == "c")
    #expect(UnknownKeyRule.firstUnknown([], isKnown: known.contains) == nil)
  }

  @Test func choicesMatchIgnoringCaseOnlyWhenAsked() {
    #expect(ConfigurationChoice.match("JSON", as: LogFormat.self) == .json)
    #expect(ConfigurationChoice.match("json", as: LogFormat.self, ignoringCase: false) == .json)
    #expect(ConfigurationChoice.match("JSON", as: LogFormat.self, ignoringCase: false) == nil)
    #expect(ConfigurationChoice.match("xml", as: LogFormat.self) == nil)
    #expect(ConfigurationChoice.allowed(LogFormat.self) == ["text", "json"])
  }

  @Test func everyProblemReadsAsOneSentence() {
    let cases: [(ConfigurationProblem, String)] = [
      (.unreadable(reason: "no such file"), "cannot read configuration x.json: no such file"),
      (.notJSON, "cannot read configuration x.json: it is not a JSON document"),
      (.unknownKey(path: "a.b"), #"unknown key "a.b" in x.json"#),
      (.missingKey(path: "issuer"), #"missing key "issuer" in x.json"#),
      (.wrongType(path: "port", expected: "a number"), #""port" in x.json must be a number"#),
      (.wrongType(path: "", expected: "an object"), "the document in x.json must be an object"),
      (
        .notAllowed(path: "log_format", value: "xml", allowed: ["text", "json"]),
        #""log_format" in x.json is "xml"; allowed values: text, json"#
      ),
      (.invalidValue(path: "port", reason: "too large"), #""port" in x.json: too large"#),
    ]
    for (problem, sentence) in cases {
      #expect(ConfigurationFileError(file: "x.json", problem: problem).description == sentence)
    }
  }
}
