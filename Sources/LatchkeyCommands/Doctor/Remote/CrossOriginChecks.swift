import Foundation

/// CORS as a browser-based client (MCP Inspector in direct mode, web portals) needs it.
enum CrossOriginChecks {
  /// Fetch Standard §4.8 (CORS-preflight fetch) and §3.2.5 (CORS check): the preflight answers
  /// 2xx, allows the origin (`*` or the origin itself), and lists every non-safelisted request
  /// header (`*` covers all but `Authorization`); the actual response allows the origin again
  /// and exposes the headers the client reads (`WWW-Authenticate` on the MCP 401). Misses on
  /// the authorization server are problems (its endpoints are cookie-free: any origin may be
  /// allowed); on the resource they are warnings, the allow-list being the operator's choice.
  static func check(_ check: RemoteObservations.CrossOrigin, origin: String) -> [DoctorFinding] {
    let name = "cors.\(check.name)"
    var misses: [String] = []
    switch check.preflight {
    case .failed(let reason): misses.append("OPTIONS failed: \(reason)")
    case .response(let response):
      if !(200..<300).contains(response.status) {
        misses.append("OPTIONS answered \(response.status)")
      } else {
        misses += allowsOrigin(response.headers, origin: origin, what: "OPTIONS")
        let allowed = list(response.headers["access-control-allow-headers"])
        let unlisted = check.requestHeaders.filter {
          !allowed.contains($0) && !(allowed.contains("*") && $0 != "authorization")
        }
        if !unlisted.isEmpty {
          misses.append(
            "Access-Control-Allow-Headers lacks \(unlisted.joined(separator: ", "))")
        }
      }
    }
    if let actual = check.actual {
      if let response = actual.response {
        misses += allowsOrigin(response.headers, origin: origin, what: check.method)
        let exposed = list(response.headers["access-control-expose-headers"])
        let hidden = check.exposes.filter { !exposed.contains($0) && !exposed.contains("*") }
        if !hidden.isEmpty, response.status == 401 {
          misses.append("\(hidden.joined(separator: ", ")) not in Access-Control-Expose-Headers")
        }
      } else {
        misses.append("\(check.method) failed: \(actual.summary)")
      }
    }
    guard !misses.isEmpty else {
      return [.ok(name, "\(check.method) \(check.url) from \(origin)")]
    }
    let detail =
      "\(check.method) \(check.url) from \(origin): " + misses.joined(separator: "; ")
    switch check.side {
    case .authorizationServer:
      return [
        .problem(
          name,
          detail + "; browser-based clients (MCP Inspector) cannot discover, register or "
            + "redeem codes: answer the preflight and send Access-Control-Allow-Origin")
      ]
    case .resource:
      return [
        .warning(
          name,
          detail + "; MCP Inspector (direct mode) cannot connect from \(origin): add it to the "
            + "resource's allowed origins if you want it to")
      ]
    }
  }

  private static func allowsOrigin(_ headers: [String: String], origin: String, what: String)
    -> [String]
  {
    guard let allowed = headers["access-control-allow-origin"] else {
      return ["\(what) has no Access-Control-Allow-Origin"]
    }
    if allowed == "*" || allowed == origin { return [] }
    return ["\(what) allows origin \(allowed), not \(origin)"]
  }

  /// A comma-separated header list, lower-cased and trimmed.
  private static func list(_ value: String?) -> [String] {
    (value ?? "").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces).lowercased()
    }
  }
}
