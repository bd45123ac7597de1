import LatchkeyJOSE
import LatchkeyServer

/// What a demo start will use, decided before anything is opened: ports (picked when 0), the
/// issuer and resource URLs, the metrics address and the demo password. A bad port or a short
/// password is refused here, so no store is opened for a start that cannot succeed.
struct DemoPlan: Sendable {
  var port: Int
  var mcpPort: Int
  var issuer: String
  var resource: String
  var metricsAddress: (host: String, port: Int)?
  var password: String
  /// The password was generated (neither `--password` nor `LATCHKEY_DEMO_PASSWORD`): print it.
  var passwordWasGenerated: Bool

  static func make(
    _ options: DemoOptions, environment: [String: String],
    pickPort: @Sendable (String) async throws -> Int
  ) async throws -> DemoPlan {
    for value in [options.port, options.mcpPort] where !(0...65535).contains(value) {
      throw DemoError.invalidPort(value)
    }
    let given = options.password ?? environment["LATCHKEY_DEMO_PASSWORD"]
    let password = given ?? SecureRandom.token(byteCount: 12)
    guard password.count >= PasswordInput.minimumLength else {
      throw DemoError.passwordTooShort(minimum: PasswordInput.minimumLength)
    }
    var metricsAddress = try MetricsConfiguration(listen: options.metricsListen).listenAddress()
    if let address = metricsAddress, address.port == 0 {
      metricsAddress = (address.host, try await pickPort(address.host))
    }
    let port = options.port == 0 ? try await pickPort(DemoOptions.host) : options.port
    let mcpPort = options.mcpPort == 0 ? try await pickPort(DemoOptions.host) : options.mcpPort
    return DemoPlan(
      port: port, mcpPort: mcpPort, issuer: "http://\(DemoOptions.host):\(port)",
      resource: DemoResource.url(port: mcpPort), metricsAddress: metricsAddress,
      password: password, passwordWasGenerated: given == nil)
  }
}
