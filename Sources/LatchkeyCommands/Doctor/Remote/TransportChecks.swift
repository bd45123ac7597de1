import Foundation

/// What a TLS-terminating proxy and the server's clock get wrong.
enum TransportChecks {
  /// OAuth 2.1 §1.5 and MCP 2025-11-25 "Communication Security": every authorization URL is
  /// https except on loopback. An https URL whose metadata names `http://` URLs is the classic
  /// proxy mistake: the server builds URLs from the plain-http hop (no `X-Forwarded-Proto`, or
  /// an http issuer); a loopback or private host in the metadata of a public server is the
  /// same mistake with `Host` / `X-Forwarded-Host`.
  static func transportSecurity(
    target: URL, documents: [(source: String, document: MetadataDocument)],
    challengeMetadata: String?
  ) -> [DoctorFinding] {
    var findings: [DoctorFinding] = []
    let targetLoopback = isLocal(target.host ?? "")
    if target.scheme?.lowercased() == "http", !targetLoopback {
      findings.append(
        .problem(
          "tls", "\(target.absoluteString) is plain http outside loopback: clients require https"))
    }
    var urls = documents.flatMap { source, document in
      document.urls.map { (source: source, member: $0.member, url: $0.url) }
    }
    if let challengeMetadata {
      urls.insert(
        (source: "the challenge", member: "resource_metadata", url: challengeMetadata), at: 0)
    }
    if target.scheme?.lowercased() == "https" {
      let plain = urls.filter { $0.url.lowercased().hasPrefix("http://") }
      if !plain.isEmpty {
        findings.append(
          .problem(
            "tls.metadata",
            "reached over https, but " + describe(plain)
              + ": the server behind the TLS-terminating proxy builds URLs from the plain-http "
              + "hop; configure the https issuer/resource URLs, or forward "
              + "X-Forwarded-Proto: https and trust it"))
      }
    }
    if !targetLoopback {
      let leaked = urls.filter { isLocal(URLComponents(string: $0.url)?.host ?? "") }
      if !leaked.isEmpty {
        findings.append(
          .problem(
            "proxy.host",
            describe(leaked) + ": an internal address leaked into public metadata; pass "
              + "Host / X-Forwarded-Host through the proxy or configure the public URLs"))
      }
    }
    if findings.isEmpty {
      findings.append(
        .ok(
          "tls",
          target.scheme == "https"
            ? "https, and every metadata URL is https" : "http on loopback (development)"))
    }
    return findings
  }

  /// RFC 9110 §6.6.1 (`Date`, IMF-fixdate §5.6.7): the server's clock against this machine's.
  /// A skewed server mints tokens that verifiers refuse as not yet valid or expired (RFC 7519
  /// §4.1.4, §4.1.5). Up to 60 s is ok (latency, one-second resolution), up to 5 min a
  /// warning, beyond a problem.
  static func clockSkew(dateHeader: String?, now: Date) -> [DoctorFinding] {
    guard let dateHeader else {
      return [.warning("clock", "no Date header (RFC 9110 §6.6.1); skew not measured")]
    }
    guard let date = httpDate(dateHeader) else {
      return [.warning("clock", "Date: \(dateHeader) is not an IMF-fixdate (RFC 9110 §5.6.7)")]
    }
    let skew = Int(date.timeIntervalSince(now).rounded())
    let text = "server clock \(skew >= 0 ? "+" : "")\(skew) s from this machine's"
    switch abs(skew) {
    case ...60: return [.ok("clock", text)]
    case ...300: return [.warning("clock", text + "; check NTP on both")]
    default:
      return [
        .problem(
          "clock", text + ": tokens look expired or not yet valid to verifiers; fix NTP")
      ]
    }
  }

  /// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
  static func httpDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.date(from: text)
  }

  /// Loopback, private (RFC 1918, RFC 4193), link-local, or `localhost`.
  static func isLocal(_ host: String) -> Bool {
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
    if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
    if bare.hasPrefix("fc") || bare.hasPrefix("fd") || bare.hasPrefix("fe80:") {
      return bare.contains(":")
    }
    let octets = bare.split(separator: ".").compactMap { Int($0) }
    guard octets.count == 4, bare.split(separator: ".").count == 4 else { return false }
    switch (octets[0], octets[1]) {
    case (127, _), (10, _), (192, 168), (169, 254): return true
    case (172, 16...31): return true
    default: return false
    }
  }

  private static func describe(_ urls: [(source: String, member: String, url: String)]) -> String {
    let shown = urls.prefix(3).map { "\($0.source) says \($0.member) \($0.url)" }
    let more = urls.count > 3 ? " (and \(urls.count - 3) more)" : ""
    return shown.joined(separator: ", ") + more
  }
}
