public import Foundation

/// One HTTP answer as a test sees it: status, header fields (names lowercased; repeated fields
/// joined with ", " as Foundation does) and body.
public struct TestHTTPResponse: Sendable {
  public var status: Int
  public var headers: [String: String]
  public var body: Data

  public init(status: Int, headers: [String: String], body: Data) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public func header(_ name: String) -> String? { headers[name.lowercased()] }

  public var text: String { String(decoding: body, as: UTF8.self) }

  /// The body as a JSON object; throws when it is not one.
  public func json() throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
      throw OAuthTestError.unexpectedResponse(status: status, body: text)
    }
    return object
  }
}
