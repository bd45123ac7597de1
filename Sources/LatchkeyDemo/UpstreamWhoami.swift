import Foundation
import LatchkeyCore
import LatchkeyMCP
import MCP

/// The `upstream_whoami` tool: the caller's upstream token (``VerifiedIdentity/upstreamToken()``)
/// sent to the provider's profile API, and the provider's answer reduced to `provider`, `sub`
/// and `email`. The token itself never appears in the result, an error or a log line.
struct UpstreamWhoami: Sendable {
  let upstream: NotesUpstream

  static let maximumAnswerBytes = 64 * 1024
  static let timeout: TimeInterval = 5

  func call(identity: VerifiedIdentity) async -> CallTool.Result {
    let token: UpstreamAccessToken
    do {
      token = try await identity.upstreamToken()
    } catch {
      return Self.failure(UpstreamProfile.explanation(error))
    }
    guard let api = upstream.profiles[token.provider] else {
      return Self.failure("No profile API is known for provider \(token.provider).")
    }
    let answer: HTTPFetchResponse
    do {
      guard let endpoint = try await profileEndpoint(api) else {
        return Self.failure("Provider \(token.provider) names no userinfo endpoint.")
      }
      answer = try await upstream.fetcher.get(
        endpoint,
        headers: [
          "authorization": "Bearer \(token.accessToken)",
          "accept": Self.accept(api),
        ], maxBytes: Self.maximumAnswerBytes, timeout: Self.timeout)
    } catch {
      return Self.failure("Provider \(token.provider) could not be reached.")
    }
    guard answer.status == 200 else {
      return Self.failure("Provider \(token.provider) answered HTTP \(answer.status).")
    }
    guard let profile = UpstreamProfile.parse(answer.body, api: api, provider: token.provider),
      let json = try? JSONEncoder.sorted.encode(profile)
    else { return Self.failure("Provider \(token.provider) sent no user.") }
    return CallTool.Result(content: [NotesServerFactory.text(String(decoding: json, as: UTF8.self))]
    )
  }

  /// The userinfo endpoint from discovery (`openID`), or `<api>/user` (`gitHub`).
  private func profileEndpoint(_ api: UpstreamProfileAPI) async throws -> URL? {
    switch api {
    case .gitHub(let root):
      return URL(string: root + "/user")
    case .openID(let issuer):
      guard let discovery = URL(string: issuer + "/.well-known/openid-configuration") else {
        return nil
      }
      let answer = try await upstream.fetcher.get(
        discovery, maxBytes: Self.maximumAnswerBytes, timeout: Self.timeout)
      guard answer.status == 200 else { return nil }
      return UpstreamProfile.userinfoEndpoint(discovery: answer.body)
    }
  }

  /// GitHub REST: `application/vnd.github+json`; OpenID userinfo: `application/json`.
  static func accept(_ api: UpstreamProfileAPI) -> String {
    if case .gitHub = api { return "application/vnd.github+json" }
    return "application/json"
  }

  static func failure(_ message: String) -> CallTool.Result {
    CallTool.Result(content: [NotesServerFactory.text(message)], isError: true)
  }
}

extension JSONEncoder {
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}
