import Foundation
import LatchkeyCore

/// How the login and consent pages present a client to the user: who vouches for its name, and
/// where the browser goes back to after the decision.
///
/// RFC 6749 §10.2 (client impersonation): give the user information about the client; RFC 7591
/// §5: a dynamically registered client's metadata is self-asserted, unverified. A Client ID
/// Metadata Document's name is vouched for only by the host of the `client_id` URL. The redirect
/// URI is where the answer (the code) goes, so the user is shown its host.
struct ClientPresentation: Equatable {
  enum Trust: Equatable {
    /// Added by an operator (`latchkey client add`): the name was checked by a person.
    case preregistered
    /// Registered itself (RFC 7591): nobody checked the name.
    case selfRegistered
    /// A Client ID Metadata Document: the name is the word of `host`.
    case metadataDocument(host: String)
  }

  var trust: Trust
  /// The host (and port) of the redirect URI; for a private-use URI scheme the scheme and its
  /// authority as written (`cursor://anysphere.cursor-mcp`), so the user sees which app
  /// receives the answer.
  var redirectTarget: String
  /// The redirect URI names the loopback interface or a private-use scheme: an app on the
  /// user's own device receives the answer.
  var redirectIsOnDevice: Bool

  static func of(_ client: Client, redirectURI: String) -> ClientPresentation {
    let trust: Trust
    if let host = AuthorizationServer.clientHost(client) {
      trust = .metadataDocument(host: host)
    } else {
      trust = client.origin == .preregistered ? .preregistered : .selfRegistered
    }
    let components = URLComponents(string: redirectURI)
    let scheme = components?.scheme?.lowercased() ?? ""
    guard let components, let host = components.host, !host.isEmpty,
      scheme == "http" || scheme == "https"
    else {
      let authority = components?.host.flatMap { $0.isEmpty ? nil : "//" + $0 } ?? ""
      return ClientPresentation(
        trust: trust, redirectTarget: scheme + ":" + authority, redirectIsOnDevice: true)
    }
    let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    let target = components.port.map { "\(shown):\($0)" } ?? shown
    return ClientPresentation(
      trust: trust, redirectTarget: target,
      redirectIsOnDevice: RedirectURIRule.isLoopbackHost(components))
  }

  /// The values the templates use: `client_preregistered`, `client_self_registered`,
  /// `client_metadata_host`, `redirect_target`, `redirect_on_device`.
  var templateValues: [String: Any] {
    var values: [String: Any] = [
      "redirect_target": redirectTarget, "redirect_on_device": redirectIsOnDevice,
    ]
    switch trust {
    case .preregistered: values["client_preregistered"] = true
    case .selfRegistered: values["client_self_registered"] = true
    case .metadataDocument(let host): values["client_metadata_host"] = host
    }
    return values
  }

  /// The first letter of the client's name, upper-cased, for the page's monogram.
  static func monogram(_ name: String) -> String {
    guard let first = name.first(where: { $0.isLetter || $0.isNumber }) else { return "?" }
    return String(first).uppercased()
  }

  /// The host (and port) of the issuer, shown on every page so the user can check which server
  /// asks for the password.
  static func issuerHost(_ issuer: String) -> String {
    guard let components = URLComponents(string: issuer), let host = components.host else {
      return issuer
    }
    return components.port.map { "\(host):\($0)" } ?? host
  }
}

/// Scopes in words on the consent page.
enum ScopeWording {
  /// The resource's description of `name`, or, when it has none, a sentence saying so: the user
  /// is never shown a bare token as if it were an explanation.
  static func description(of name: String, in resource: Resource) -> String {
    let described = resource.scopes.first { $0.name == name }?.description
      .trimmingCharacters(in: .whitespacesAndNewlines)
    if let described, !described.isEmpty { return described }
    return "Use the “\(name)” permission (this server gives no description of it)"
  }
}
