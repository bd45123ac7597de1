import FuzzDriver
import LatchkeyCore

/// Scope parameters (RFC 6749 §3.3) and redirect-URI registration and matching (OAuth 2.1
/// §2.3.1, RFC 8252 §7.3 loopback ports): the input is split at its first newline into the
/// requested and the registered value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
  let requested = String(parts[0])
  let registered = parts.count > 1 ? String(parts[1]) : requested
  if let scopes = ScopeSet(parameter: text) {
    _ = ScopeSet(parameter: scopes.parameter)
    _ = ScopeRule.narrow(requested: scopes, granted: ScopeSet(["notes:read", "notes:write"]))
  }
  _ = RedirectURIRule.validateForRegistration(requested, applicationType: .native)
  _ = RedirectURIRule.validateForRegistration(registered, applicationType: .web)
  if RedirectURIRule.matches(requested: requested, registered: registered) {
    // A match never crosses scheme or host: the loopback exception is about ports only.
    precondition(
      requested == registered || requested.lowercased().hasPrefix("http://"),
      "matched across schemes: \(requested) vs \(registered)")
  }
  _ = RedirectURIRule.resolve(requested: requested, registered: [registered])
  _ = RedirectURIRule.resolve(requested: nil, registered: [registered])
  return 0
}

@_cdecl("FuzzScopeAndRedirect_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  runLibFuzzer(argc, argv, fuzz)
}
