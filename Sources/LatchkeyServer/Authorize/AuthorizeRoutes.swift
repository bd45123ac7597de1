import Hummingbird

extension AuthorizationServer {
  /// `/authorize` (GET and the POSTs of the login and consent forms).
  func addAuthorizationRoutes(to router: Router<LatchkeyRequestContext>) {}
}
