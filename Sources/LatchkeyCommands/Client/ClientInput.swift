import LatchkeyCore

/// Client metadata from the command line, checked by the same rule as dynamic registration
/// (`ClientMetadataRule`, which applies `RedirectURIRule.validateForRegistration`).
enum ClientInput {
  static func validate(
    redirectURIs: [String], name: String, authMethod: String, grantTypes: [String],
    applicationType: String?, scope: String?
  ) throws -> ValidatedClientMetadata {
    let result = ClientMetadataRule.validate(
      redirectURIs: redirectURIs, clientName: name, tokenEndpointAuthMethod: authMethod,
      grantTypes: grantTypes, responseTypes: nil, applicationType: applicationType, scope: scope,
      clientURI: nil, logoURI: nil, allowedGrantTypes: Set(GrantType.allCases),
      allowedAuthMethods: Set(TokenEndpointAuthMethod.allCases))
    switch result {
    case .success(let metadata): return metadata
    case .failure(let error):
      if error.code == .invalidRedirectURI, let problem = firstRedirectProblem(redirectURIs) {
        throw CLIError("the redirect URI \(problem.uri) is not allowed (\(problem.reason))")
      }
      throw CLIError(sentence(error.publicDescription))
    }
  }

  /// The first redirect URI that no application type accepts, with the reason.
  static func firstRedirectProblem(_ uris: [String]) -> (uri: String, reason: String)? {
    for uri in uris {
      if let problem = RedirectURIRule.validateForRegistration(uri, applicationType: .native) {
        return (uri, "\(problem)")
      }
    }
    for uri in uris {
      if let problem = RedirectURIRule.validateForRegistration(uri, applicationType: .web) {
        return (uri, "\(problem); private-use schemes need --application-type native")
      }
    }
    return nil
  }

  /// The rule's text as the CLI's sentence style (lower-case start, no final period).
  static func sentence(_ text: String) -> String {
    var trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
    if let first = trimmed.first { trimmed = first.lowercased() + trimmed.dropFirst() }
    return trimmed
  }
}
