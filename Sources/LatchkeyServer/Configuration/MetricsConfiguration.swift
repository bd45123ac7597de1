import LatchkeyCore

/// The `metrics` object of the configuration file (docs/metrics.md): Prometheus metrics are
/// off unless `listen` names an address for a separate listener that serves only `path`.
///
/// A separate listener (bound to loopback or a private interface) keeps `/metrics` off the
/// public issuer origin, so no proxy rule or token is needed to hide it.
public struct MetricsConfiguration: Sendable, Codable, Equatable {
  /// `host:port` (or `[v6]:port`) of the metrics listener; nil turns metrics off.
  public var listen: String?
  /// The scrape path on that listener.
  public var path: String

  public init(listen: String? = nil, path: String = "/metrics") {
    self.listen = listen
    self.path = path
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case listen, path
  }

  /// Every key `metrics` accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// Each setting the file leaves out keeps its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = MetricsConfiguration()
    try c.decode(.listen, into: &value, at: \.listen)
    try c.decode(.path, into: &value, at: \.path)
    self = value
  }

  /// The listener's host and port, or nil when metrics are off.
  /// - Throws: `ConfigurationError.invalid` for an address that is not `host:port` with a port
  ///   in 0...65535, or a path that does not start with `/`.
  public func listenAddress() throws(ConfigurationError) -> (host: String, port: Int)? {
    guard let listen else { return nil }
    guard path.hasPrefix("/") else {
      throw .invalid("metrics.path must start with /")
    }
    guard let parsed = Self.parse(listen) else {
      throw .invalid("metrics.listen must be host:port, e.g. 127.0.0.1:9090")
    }
    return parsed
  }

  /// `host:port` or `[ipv6]:port`; the brackets are removed from the host.
  static func parse(_ value: String) -> (host: String, port: Int)? {
    guard let colon = value.lastIndex(of: ":"),
      let port = Int(value[value.index(after: colon)...]), (0...65535).contains(port)
    else { return nil }
    var host = String(value[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty, !host.contains(where: { $0 == "[" || $0 == "]" || $0 == " " }) else {
      return nil
    }
    return (host, port)
  }
}
