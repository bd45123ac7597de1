import LatchkeyCore

extension AuthorizationServer {
  /// The OAuth error for a failure that is not an answer to the request (design: error model).
  ///
  /// A store that is busy or unreachable is `temporarily_unavailable` (503: retrying may work);
  /// anything else is `server_error` (500). Either way the body says nothing specific and the
  /// log line names only the endpoint and the error's type, never its contents.
  func unexpected(_ error: any Error, in endpoint: String) -> OAuthError {
    logger.error("\(endpoint) failed", metadata: ["error": "\(type(of: error))"])
    if case StoreError.unavailable = error {
      return OAuthError(.temporarilyUnavailable, "The server is busy; try again shortly.")
    }
    return OAuthError(.serverError, "The server could not complete the request.")
  }
}
