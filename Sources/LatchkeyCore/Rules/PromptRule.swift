public import Foundation

/// The `prompt` and `max_age` parameters of an authorization request (OpenID Connect Core 1.0
/// §3.1.2.1), which MCP clients send to OAuth servers too.
public enum PromptRule {
  /// The `prompt` values Latchkey supports (listed in metadata as `prompt_values_supported`).
  public enum Value: String, Sendable, CaseIterable {
    /// No page at all: answer `login_required` / `consent_required` when one would be needed.
    case none
    /// Ask for the password again even when the browser has a live sign-in.
    case login
    /// Show the consent page even when every scope was consented before.
    case consent
  }

  /// What the request asks of the interaction.
  public struct Demand: Sendable, Equatable {
    public var values: Set<Value>
    /// `max_age` in seconds: a sign-in older than this must be repeated.
    public var maxAge: Int?

    public init(values: Set<Value> = [], maxAge: Int? = nil) {
      self.values = values
      self.maxAge = maxAge
    }

    public var forbidsInteraction: Bool { values.contains(.none) }
    public var forcesConsent: Bool { values.contains(.consent) }

    /// Whether a sign-in that happened at `authenticatedAt` may be reused at `now`.
    public func acceptsSignIn(authenticatedAt: Date, now: Date) -> Bool {
      if values.contains(.login) { return false }
      guard let maxAge else { return true }
      return now.timeIntervalSince(authenticatedAt) <= TimeInterval(maxAge)
    }
  }

  /// Why a `prompt` or `max_age` is refused (`invalid_request`).
  public enum Refusal: Error, Sendable, Equatable {
    /// A value other than `none`, `login`, `consent` (`select_account` included: Latchkey has
    /// one account per browser sign-in).
    case unsupportedValue(String)
    /// §3.1.2.1: `none` together with any other value.
    case noneWithOthers
    /// `max_age` that is not a non-negative integer.
    case malformedMaxAge
  }

  /// Parses space-delimited `prompt` and `max_age`; nil parameters mean "no demand".
  public static func parse(prompt: String?, maxAge: String?) -> Result<Demand, Refusal> {
    var values: Set<Value> = []
    for token in (prompt ?? "").split(separator: " ", omittingEmptySubsequences: true) {
      guard let value = Value(rawValue: String(token)) else {
        return .failure(.unsupportedValue(String(token)))
      }
      values.insert(value)
    }
    if values.contains(.none), values.count > 1 { return .failure(.noneWithOthers) }
    var age: Int?
    if let maxAge {
      guard !maxAge.isEmpty, maxAge.utf8.count <= 10,
        maxAge.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
        let parsed = Int(maxAge)
      else { return .failure(.malformedMaxAge) }
      age = parsed
    }
    return .success(Demand(values: values, maxAge: age))
  }
}
