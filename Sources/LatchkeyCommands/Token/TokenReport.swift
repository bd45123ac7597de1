import Foundation
import LatchkeyJOSE

/// What `token inspect` shows: header, claims, the signing key's state and validity.
struct TokenReport {
  let header: JOSEHeader
  let claims: JWTClaims
  let keyState: String
  let problem: String?
  let now: Date

  var json: JSONValue {
    var audience: JSONValue = .null
    switch claims.aud {
    case .one(let value): audience = .string(value)
    case .many(let values): audience = JSONValue(values)
    case nil: break
    }
    return .object([
      "header": .object([
        "alg": .string(header.alg), "typ": JSONValue(header.typ), "kid": JSONValue(header.kid),
      ]),
      "claims": .object([
        "iss": JSONValue(claims.iss), "sub": JSONValue(claims.sub), "aud": audience,
        "exp": JSONValue(claims.exp), "nbf": JSONValue(claims.nbf), "iat": JSONValue(claims.iat),
        "jti": JSONValue(claims.jti), "client_id": JSONValue(claims.clientID),
        "scope": JSONValue(claims.scope),
      ]),
      "key_state": .string(keyState),
      "valid": .bool(problem == nil),
      "problem": JSONValue(problem),
    ])
  }

  var text: String {
    func time(_ seconds: Int64?) -> String {
      guard let seconds else { return "-" }
      let date = Date(timeIntervalSince1970: TimeInterval(seconds))
      return "\(TimeText.timestamp(date)) (\(seconds))"
    }
    var audience = "-"
    switch claims.aud {
    case .one(let value): audience = value
    case .many(let values): audience = values.joined(separator: " ")
    case nil: break
    }
    let rows: [(String, String)] = [
      ("alg", header.alg), ("typ", header.typ ?? "-"),
      ("kid", "\(header.kid ?? "-") (\(keyState))"),
      ("iss", claims.iss ?? "-"), ("sub", claims.sub ?? "-"), ("aud", audience),
      ("client_id", claims.clientID ?? "-"), ("scope", claims.scope ?? "-"),
      ("jti", claims.jti ?? "-"), ("iat", time(claims.iat)), ("exp", time(claims.exp)),
    ]
    var validity = "yes"
    if let problem {
      validity = "no: \(problem)"
    } else if let exp = claims.exp {
      let expiry = Date(timeIntervalSince1970: TimeInterval(exp))
      validity = "yes, for \(TimeText.age(from: now, to: expiry))"
    }
    let width = 11
    return (rows + [("valid", validity)]).map { name, value in
      (name + ":").padding(toLength: width, withPad: " ", startingAt: 0) + value
    }.joined(separator: "\n")
  }
}
