/// Builds `WWW-Authenticate: Bearer …` challenges.
public enum BearerChallenge {
  /// RFC 6750 §3 + RFC 9728 §5.1 + MCP "Scope Selection": 401 challenge. `error` is nil when
  /// the request carried no bearer credentials at all (RFC 6750 §3.1: no error code then);
  /// `scope` is what this request needs to start; `description` (RFC 6750 §3
  /// `error_description`, only with an `error`) is a sentence for the developer.
  public static func unauthorized(
    error: String?, description: String? = nil, scope: String, resourceMetadata: String
  ) -> String {
    var parameters: [(String, String)] = []
    if let error {
      parameters.append(("error", error))
      if let description { parameters.append(("error_description", description)) }
    }
    parameters.append(("resource_metadata", resourceMetadata))
    if !scope.isEmpty { parameters.append(("scope", scope)) }
    return render(parameters)
  }

  /// RFC 6750 §3.1 `insufficient_scope` with MCP "Runtime Insufficient Scope Errors": `scope`
  /// names everything the operation needs (the caller passes needed ∪ already held).
  public static func insufficientScope(scope: String, resourceMetadata: String) -> String {
    render([
      ("error", "insufficient_scope"), ("scope", scope), ("resource_metadata", resourceMetadata),
    ])
  }

  /// RFC 9110 §11.2 auth-param with a quoted-string value.
  static func render(_ parameters: [(String, String)]) -> String {
    "Bearer " + parameters.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: ", ")
  }

  /// RFC 9110 §5.6.4 quoted-string: `"` and `\` are backslash-escaped; control characters
  /// (which no quoted-string may hold) are dropped so a value can never split the header.
  public static func quoted(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"", "\\":
        result.append("\\")
        result.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        continue
      default:
        result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
