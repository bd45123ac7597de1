/// A single pass over a JSON-RPC body as UTF-8 bytes: validates the whole text against the
/// RFC 8259 grammar and keeps only what the scope policy and the request metadata header check
/// need (`method`, `params.name`, `params.uri`, `params._meta`'s protocol version, `id`, whether
/// `result`/`error` are present), without building a document tree.
///
/// Stricter than a general JSON parser where a lenient reading could let a forbidden call pass:
/// a message that names `method`, `params`, `params.name`, `params.uri` or `params._meta` twice
/// is not a valid request (RFC
/// 8259 §4 leaves duplicate names to the implementation, and the MCP server behind might read
/// the other one); strings must be valid UTF-8 with no unescaped control characters and no
/// lone surrogate escapes; nesting deeper than `maximumDepth` is refused as a parse error.
struct JSONRPCScanner {
  /// One message object, reduced.
  struct Message {
    var method: String?
    var methodIsNotString = false
    var params = Params()
    var id: JSONRPCID?
    var hasResultOrError = false
    var hasDuplicate = false
  }

  /// The members of `params` that matter here.
  struct Params {
    var name: String?
    var uri: String?
    var protocolVersion: String?
    var hasDuplicate = false
  }

  struct ParseError: Error {}

  /// `_meta` key carrying the protocol revision of a 2026-07-28 request.
  static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"

  static let maximumDepth = 512

  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// JSON-RPC 2.0 §4/§6 on a validated text; parse errors win over invalid requests, as they
  /// would with a parser that reads the whole text first.
  static func peek(_ bytes: [UInt8]) -> JSONRPCPeek.Result {
    var scanner = JSONRPCScanner(bytes)
    do {
      let outcome = try scanner.topLevel()
      scanner.skipWhitespace()
      guard scanner.index == bytes.count else { return .parseError }
      return outcome
    } catch {
      return .parseError
    }
  }

  private mutating func topLevel() throws(ParseError) -> JSONRPCPeek.Result {
    skipWhitespace()
    switch peekByte() ?? 0 {
    case UInt8(ascii: "{"):
      return Self.call(try message()).map { .calls([$0]) } ?? .invalidRequest
    case UInt8(ascii: "["):
      index += 1
      skipWhitespace()
      if peekByte() == UInt8(ascii: "]") {
        index += 1
        return .invalidRequest
      }
      var calls: [JSONRPCCall] = []
      var invalid = false
      while true {
        skipWhitespace()
        if peekByte() == UInt8(ascii: "{") {
          if let call = Self.call(try message()) { calls.append(call) } else { invalid = true }
        } else {
          try skipValue(depth: 1)
          invalid = true
        }
        skipWhitespace()
        let separator = try nextByte()
        if separator == UInt8(ascii: "]") { break }
        guard separator == UInt8(ascii: ",") else { throw ParseError() }
      }
      return invalid ? .invalidRequest : .calls(calls)
    default:
      try skipValue(depth: 0)
      return .invalidRequest
    }
  }

  /// JSON-RPC 2.0 §4: a request or notification has a string `method`; a response has
  /// `result` or `error` and no `method`.
  static func call(_ message: Message) -> JSONRPCCall? {
    guard !message.hasDuplicate, !message.methodIsNotString else { return nil }
    if let method = message.method {
      var name: String?
      if JSONRPCCall.namedMethods.contains(method) {
        name = method == "resources/read" ? message.params.uri : message.params.name
      }
      return JSONRPCCall(
        method: method, id: message.id, name: name,
        protocolVersion: message.params.protocolVersion)
    }
    guard message.hasResultOrError else { return nil }
    return JSONRPCCall(method: nil, id: message.id)
  }

  // MARK: - Objects of interest

  /// A message object at depth 1.
  private mutating func message() throws(ParseError) -> Message {
    var result = Message()
    var seenMethod = false
    var seenParams = false
    index += 1  // "{"
    try members(depth: 1) { scanner, key throws(ParseError) in
      switch key {
      case "method":
        if seenMethod { result.hasDuplicate = true }
        seenMethod = true
        if scanner.peekByte() == UInt8(ascii: "\"") {
          result.method = try scanner.string()
        } else {
          try scanner.skipValue(depth: 1)
          result.methodIsNotString = true
        }
      case "params":
        if seenParams { result.hasDuplicate = true }
        seenParams = true
        if scanner.peekByte() == UInt8(ascii: "{") {
          result.params = try scanner.params()
          if result.params.hasDuplicate { result.hasDuplicate = true }
        } else {
          try scanner.skipValue(depth: 1)
        }
      case "id":
        result.id = try scanner.requestID()
      case "result", "error":
        result.hasResultOrError = true
        try scanner.skipValue(depth: 1)
      default:
        try scanner.skipValue(depth: 1)
      }
    }
    return result
  }

  /// `params` at depth 2: its string `name` and `uri`, the protocol revision in `_meta`, and
  /// whether any of those appears twice.
  private mutating func params() throws(ParseError) -> Params {
    var result = Params()
    var seenName = false
    var seenURI = false
    var seenMeta = false
    index += 1  // "{"
    try members(depth: 2) { scanner, key throws(ParseError) in
      switch key {
      case "name":
        if seenName { result.hasDuplicate = true }
        seenName = true
        result.name = try scanner.optionalString(depth: 2)
      case "uri":
        if seenURI { result.hasDuplicate = true }
        seenURI = true
        result.uri = try scanner.optionalString(depth: 2)
      case "_meta" where scanner.peekByte() == UInt8(ascii: "{"):
        if seenMeta { result.hasDuplicate = true }
        seenMeta = true
        scanner.index += 1  // "{"
        try scanner.members(depth: 3) { scanner, key throws(ParseError) in
          guard key == Self.protocolVersionKey else { return try scanner.skipValue(depth: 3) }
          result.protocolVersion = try scanner.optionalString(depth: 3)
        }
      default:
        try scanner.skipValue(depth: 2)
      }
    }
    return result
  }

  /// A string value, or nil after skipping a value of another type.
  private mutating func optionalString(depth: Int) throws(ParseError) -> String? {
    guard peekByte() == UInt8(ascii: "\"") else {
      try skipValue(depth: depth)
      return nil
    }
    return try string()
  }

  /// JSON-RPC 2.0 §4 `id`: a string, or a number kept when it is an integer that fits.
  private mutating func requestID() throws(ParseError) -> JSONRPCID? {
    switch peekByte() ?? 0 {
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let start = index
      let isInteger = try number()
      guard isInteger, index - start <= 20 else { return nil }
      return Int64(String(decoding: bytes[start..<index], as: UTF8.self)).map { .number($0) }
    default:
      try skipValue(depth: 1)
      return nil
    }
  }

  /// The members of an object whose `{` was consumed; `member` reads each value.
  private mutating func members(
    depth: Int, _ member: (inout JSONRPCScanner, String) throws(ParseError) -> Void
  ) throws(ParseError) {
    guard depth <= Self.maximumDepth else { throw ParseError() }
    skipWhitespace()
    if peekByte() == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      skipWhitespace()
      guard peekByte() == UInt8(ascii: "\"") else { throw ParseError() }
      let key = try string()
      skipWhitespace()
      guard try nextByte() == UInt8(ascii: ":") else { throw ParseError() }
      skipWhitespace()
      try member(&self, key)
      skipWhitespace()
      let separator = try nextByte()
      if separator == UInt8(ascii: "}") { return }
      guard separator == UInt8(ascii: ",") else { throw ParseError() }
    }
  }

  // MARK: - RFC 8259 grammar

  /// RFC 8259 §2: insignificant whitespace is space, tab, line feed, carriage return.
  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private func peekByte() -> UInt8? {
    index < bytes.count ? bytes[index] : nil
  }

  private mutating func nextByte() throws(ParseError) -> UInt8 {
    guard index < bytes.count else { throw ParseError() }
    defer { index += 1 }
    return bytes[index]
  }

  /// RFC 8259 §3 any value, validated and skipped. `depth` is that of the enclosing container.
  private mutating func skipValue(depth: Int) throws(ParseError) {
    guard let byte = peekByte() else { throw ParseError() }
    switch byte {
    case UInt8(ascii: "{"):
      index += 1
      try members(depth: depth + 1) { scanner, _ throws(ParseError) in
        try scanner.skipValue(depth: depth + 1)
      }
    case UInt8(ascii: "["):
      guard depth + 1 <= Self.maximumDepth else { throw ParseError() }
      index += 1
      skipWhitespace()
      if peekByte() == UInt8(ascii: "]") {
        index += 1
        return
      }
      while true {
        skipWhitespace()
        try skipValue(depth: depth + 1)
        skipWhitespace()
        let separator = try nextByte()
        if separator == UInt8(ascii: "]") { return }
        guard separator == UInt8(ascii: ",") else { throw ParseError() }
      }
    case UInt8(ascii: "\""):
      _ = try string()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    default:
      _ = try number()
    }
  }

  private mutating func literal(_ word: StaticString) throws(ParseError) {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw ParseError() }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      throw ParseError()
    }
    index += count
  }

  /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns whether it
  /// had neither fraction nor exponent. Like Foundation's parser (and the MCP server behind),
  /// a fraction or exponent that overflows a Double is refused (§6 allows range limits).
  private mutating func number() throws(ParseError) -> Bool {
    let start = index
    let integer = try numberGrammar()
    if !integer {
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      guard let value = Double(text), value.isFinite else { throw ParseError() }
    }
    return integer
  }

  private mutating func numberGrammar() throws(ParseError) -> Bool {
    if peekByte() == UInt8(ascii: "-") { index += 1 }
    guard let first = peekByte(), Self.isDigit(first) else { throw ParseError() }
    index += 1
    if first != UInt8(ascii: "0") { skipDigits() }
    var integer = true
    if peekByte() == UInt8(ascii: ".") {
      index += 1
      guard let digit = peekByte(), Self.isDigit(digit) else { throw ParseError() }
      skipDigits()
      integer = false
    }
    if peekByte() == UInt8(ascii: "e") || peekByte() == UInt8(ascii: "E") {
      index += 1
      if peekByte() == UInt8(ascii: "+") || peekByte() == UInt8(ascii: "-") { index += 1 }
      guard let digit = peekByte(), Self.isDigit(digit) else { throw ParseError() }
      skipDigits()
      integer = false
    }
    return integer
  }

  private mutating func skipDigits() {
    while let byte = peekByte(), Self.isDigit(byte) { index += 1 }
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// RFC 8259 §7 string at `"`, unescaped; valid UTF-8 only (§8.1), no raw control characters,
  /// `\u` escapes combined into scalars (lone surrogates refused).
  private mutating func string() throws(ParseError) -> String {
    index += 1  // opening quote
    let start = index
    var ascii = true
    // Fast path: no escapes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let slice = bytes[start..<index]
        index += 1
        return try Self.text(slice, ascii: ascii)
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw ParseError() }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    var decoded = Array(bytes[start..<index])
    while true {
      let byte = try nextByte()
      switch byte {
      case UInt8(ascii: "\""):
        return try Self.text(decoded[...], ascii: false)
      case UInt8(ascii: "\\"):
        try escape(into: &decoded)
      case 0..<0x20:
        throw ParseError()
      default:
        decoded.append(byte)
      }
    }
  }

  private static func text(_ slice: ArraySlice<UInt8>, ascii: Bool) throws(ParseError) -> String {
    if ascii { return String(decoding: slice, as: UTF8.self) }
    guard let valid = String(validating: slice, as: UTF8.self) else { throw ParseError() }
    return valid
  }

  private mutating func escape(into decoded: inout [UInt8]) throws(ParseError) {
    let byte = try nextByte()
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
    case UInt8(ascii: "b"): decoded.append(0x08)
    case UInt8(ascii: "f"): decoded.append(0x0C)
    case UInt8(ascii: "n"): decoded.append(0x0A)
    case UInt8(ascii: "r"): decoded.append(0x0D)
    case UInt8(ascii: "t"): decoded.append(0x09)
    case UInt8(ascii: "u"):
      var value = UInt32(try hex4())
      if (0xD800...0xDBFF).contains(value) {
        guard try nextByte() == UInt8(ascii: "\\"), try nextByte() == UInt8(ascii: "u") else {
          throw ParseError()
        }
        let low = UInt32(try hex4())
        guard (0xDC00...0xDFFF).contains(low) else { throw ParseError() }
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(value) {
        throw ParseError()
      }
      guard let scalar = Unicode.Scalar(value) else { throw ParseError() }
      decoded.append(contentsOf: String(Character(scalar)).utf8)
    default:
      throw ParseError()
    }
  }

  private mutating func hex4() throws(ParseError) -> UInt16 {
    var value: UInt16 = 0
    for _ in 0..<4 {
      let byte = try nextByte()
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw ParseError()
      }
      value = value << 4 | UInt16(digit)
    }
    return value
  }
}
