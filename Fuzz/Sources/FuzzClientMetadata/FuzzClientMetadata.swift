import Foundation
import FuzzDriver
import LatchkeyCore

/// Client ID metadata documents (JSON bodies), client_id URLs and special-use address checks
/// (the SSRF guard of outbound fetches) on arbitrary input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let text = String(decoding: bytes, as: UTF8.self)
  let url = "https://client.example.com/oauth/metadata.json"
  _ = ClientIDMetadataDocumentRule.client(from: bytes, url: url, at: Date(timeIntervalSince1970: 0))
  _ = ClientIDMetadataDocumentRule.isMetadataDocumentID(text)
  _ = ClientIDMetadataDocumentRule.validateClientIDURL(text)
  _ = SpecialUseAddressRule.isSpecialUse(text)
  return 0
}

@_cdecl("FuzzClientMetadata_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  runLibFuzzer(argc, argv, fuzz)
}
