import COpenSSL

/// The scrypt key derivation function (RFC 7914) through OpenSSL's `EVP_PBE_scrypt`.
package enum Scrypt {
  /// RFC 7914 §6: `scrypt(P, S, N, r, p, dkLen)`. `maxmem` is passed explicitly: OpenSSL's
  /// default 32 MiB cap makes N = 2^15, r = 8 fail. Returns nil when OpenSSL refuses.
  package static func derive(
    password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int
  ) -> [UInt8]? {
    // RFC 7914 §6: the working memory is 128·r·N (V) plus 128·r·p (B); leave room for overhead.
    let (vMemory, vOverflow) = (128 * r).multipliedReportingOverflow(by: n)
    guard !vOverflow, length > 0, r < 1 << 20, p < 1 << 20 else { return nil }
    let maxmem = vMemory + 128 * r * p + 1 << 20
    var output = [UInt8](repeating: 0, count: length)
    let result = password.withUnsafeBufferPointer { passwordBuffer in
      passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
        EVP_PBE_scrypt(
          passwordChars.baseAddress, passwordChars.count, salt, salt.count, n, r, p,
          maxmem, &output, length)
      }
    }
    guard result == 1 else {
      ERR_clear_error()
      return nil
    }
    return output
  }
}
