/// Why the test OAuth client could not go on.
public enum OAuthTestError: Error, Sendable {
  case unexpectedResponse(status: Int, body: String)
  case missing(String)
  case noForm(status: Int, body: String)
  case tooManySteps
}
