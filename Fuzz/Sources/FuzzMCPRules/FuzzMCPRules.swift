import FuzzDriver
import LatchkeyMCP

/// The middleware's JSON-RPC peek (scope decisions before the MCP server sees a body),
/// `Authorization` header parsing (RFC 6750 §2.1), and the endpoint path rule on arbitrary
/// input: every path Hummingbird's router would hand to the `/mcp` route (empty segments
/// dropped, case folded when the router is case-insensitive) must be covered by the middleware.
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
  let path = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
  let routed = path.split(separator: "/").map { $0.lowercased() }
  if routed == ["mcp"] {
    precondition(
      EndpointPathRule.covers(requestPath: text, endpointSegments: ["mcp"]),
      "routed path not covered: \(text)")
  }
  return 0
}

@_cdecl("FuzzMCPRules_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  runLibFuzzer(argc, argv, fuzz)
}
