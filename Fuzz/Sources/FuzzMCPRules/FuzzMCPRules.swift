import FuzzDriver
import LatchkeyMCP

/// The middleware's JSON-RPC peek (scope decisions before the MCP server sees a body) and
/// `Authorization` header parsing (RFC 6750 §2.1) on arbitrary input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  _ = JSONRPCPeek.peek(bytes)
  let text = String(decoding: bytes, as: UTF8.self)
  let fields = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  if case .token(let token) = BearerCredentials.parse(fields) {
    precondition(!token.isEmpty && !token.contains(" "), "bad token \(token)")
  }
  _ = BearerChallenge.quoted(text)
  return 0
}

@_cdecl("FuzzMCPRules_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  runLibFuzzer(argc, argv, fuzz)
}
