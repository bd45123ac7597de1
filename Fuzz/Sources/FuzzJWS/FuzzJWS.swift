import FuzzDriver
import LatchkeyJOSE

/// JWS parsing and JWT verification (RFC 7515/7519) on arbitrary bytes: a fixed ES256 key so
/// the committed seeds carry valid signatures and mutations reach every rejection path.
enum FuzzJWS {
  static let pem = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/83yTGBUeAuzcQAm
    3IWp1IFnOm1l0+drQNN6bzqi8UWhRANCAAQ0QDeyZ/FuUDj9AS4uTv4u89h2U9or
    UEaGR1ImcSNaSQzz2zcrNxsSEQz+QfTVRnWqBqrywQouzYvXwgOHN5ly
    -----END PRIVATE KEY-----
    """
  nonisolated(unsafe) static let resolver: StaticKeyResolver? = {
    guard let key = try? SigningKey(privateKeyPEM: pem, algorithm: .es256) else { return nil }
    return StaticKeyResolver([key.publicKey])
  }()
  static let validator = JWTValidator(
    issuer: "https://auth.example.com", audience: "https://mcp.example.com/mcp",
    expectedType: "at+jwt")

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let resolver else { fatalError("fuzz key did not load") }
    let token = String(decoding: bytes, as: UTF8.self)
    _ = try? JWT.verify(token, keys: resolver, validator: validator, now: 1_700_000_000)
    _ = try? JWS.verify(token, keys: resolver)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzJWS.run(UnsafeBufferPointer(start: data, count: size))
  return 0
}

@_cdecl("FuzzJWS_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  runLibFuzzer(argc, argv, fuzz)
}
