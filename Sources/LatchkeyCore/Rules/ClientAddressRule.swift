import Foundation

/// Which address a request is attributed to, given the peer and the proxies the operator trusts.
public enum ClientAddressRule {
  /// The address a request comes from, for audit and per-source limits.
  ///
  /// `X-Forwarded-For` is believed only when the socket peer is a configured trusted proxy
  /// (otherwise any client could choose its own address). The header is read right to left,
  /// skipping trusted proxies, and the first untrusted hop is the client (the rightmost address
  /// a trusted proxy appended). Entries that are not IP literals end the walk.
  public static func resolve(peer: String?, forwardedFor: [String], trusted: Set<String>)
    -> String?
  {
    guard let peer, trusted.contains(peer) else { return peer }
    let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    var client = peer
    for hop in hops.reversed() {
      guard
        SpecialUseAddressRule.parseIPv4(hop) != nil || SpecialUseAddressRule.parseIPv6(hop) != nil
      else { break }
      client = hop
      if !trusted.contains(hop) { break }
    }
    return client
  }
}
