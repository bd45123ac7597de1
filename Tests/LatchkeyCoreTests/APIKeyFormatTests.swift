import Foundation
import Testing

@testable import LatchkeyCore

@Suite("API key format and rules")
struct APIKeyFormatTests {
  @Test func crc32MatchesTheCheckValue() {
    // CRC-32/ISO-HDLC check value (the catalogue's "123456789").
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
  }

  @Test func generatedKeysHaveTheirShapeAndAreRecognised() {
    let (key, id) = APIKeyFormat.generate()
    #expect(key.hasPrefix("lk_pat_\(id)_"))
    #expect(key.utf8.count == APIKeyFormat.length)
    #expect(APIKeyFormat.recognize(key) == .wellFormed(id: id))
    #expect(APIKeyFormat.generate().key != key)
  }

  @Test func everySingleCharacterChangeBreaksTheChecksum() {
    let (key, _) = APIKeyFormat.generate()
    let bytes = Array(key.utf8)
    for index in APIKeyFormat.prefix.utf8.count..<bytes.count {
      var changed = bytes
      changed[index] = changed[index] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
      #expect(APIKeyFormat.recognize(String(decoding: changed, as: UTF8.self)) == .malformed)
    }
  }

  @Test func otherValuesAreNotKeysOrMalformed() {
    let (key, _) = APIKeyFormat.generate()
    #expect(APIKeyFormat.recognize("eyJhbGciOiJFUzI1NiJ9.e30.sig") == .notAnAPIKey)
    #expect(APIKeyFormat.recognize("") == .notAnAPIKey)
    #expect(APIKeyFormat.recognize("lk_pat_") == .malformed)
    #expect(APIKeyFormat.recognize(key + "x") == .malformed)
    #expect(APIKeyFormat.recognize(String(key.dropLast())) == .malformed)
    #expect(APIKeyFormat.recognize(key.replacingOccurrences(of: "_", with: "-")) == .notAnAPIKey)
    let fixed = APIKeyFormat.make(id: "AAAAAAAAAAAA", secret: String(repeating: "b", count: 43))
    #expect(APIKeyFormat.recognize(fixed) == .wellFormed(id: "AAAAAAAAAAAA"))
  }

  static let resource = Resource(
    url: "https://mcp.example.com/mcp", name: "Notes",
    scopes: [
      ScopeDefinition(name: "notes:read", description: "r"),
      ScopeDefinition(name: "notes:write", description: "w"),
    ], defaultScopes: ScopeSet(["notes:read"]))

  @Test func personalKeysHoldWhatTheResourceOffers() throws {
    let rule = { (requested: ScopeSet?) in
      APIKeyRule.scopes(requested: requested, resource: Self.resource, serviceClient: nil)
    }
    #expect(try rule(nil).get() == ScopeSet(["notes:read"]))
    #expect(try rule(ScopeSet(["notes:write"])).get() == ScopeSet(["notes:write"]))
    #expect(throws: OAuthError.self) { try rule(ScopeSet(["admin"])).get() }
  }

  @Test func serviceKeysHoldTheClientsAllowedScopes() throws {
    var client = Client(
      id: "ci", name: "CI", origin: .preregistered, redirectURIs: [], createdAt: .now)
    client.allowedScopes = ScopeSet(["notes:read"])
    let rule = { (requested: ScopeSet?) in
      APIKeyRule.scopes(requested: requested, resource: Self.resource, serviceClient: client)
    }
    #expect(try rule(nil).get() == ScopeSet(["notes:read"]))
    #expect(throws: OAuthError.self) { try rule(ScopeSet(["notes:write"])).get() }
  }

  @Test func aKeyIsActiveUntilRevokedExpiredOrItsOwnerGone() {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var key = APIKey(
      id: "k", keyHash: "h", name: "n", owner: .user("u"), resource: "r", scopes: .empty,
      createdAt: now, expiresAt: now.addingTimeInterval(60))
    #expect(APIKeyRule.inactive(key, ownerAvailable: true, now: now) == nil)
    #expect(APIKeyRule.inactive(key, ownerAvailable: false, now: now) == .ownerUnavailable)
    #expect(
      APIKeyRule.inactive(key, ownerAvailable: true, now: now.addingTimeInterval(60)) == .expired)
    key.revokedAt = now
    #expect(APIKeyRule.inactive(key, ownerAvailable: true, now: now) == .revoked)
    #expect(APIKeyRule.shouldRecordUse(lastUsedAt: nil, now: now))
    #expect(!APIKeyRule.shouldRecordUse(lastUsedAt: now.addingTimeInterval(-3599), now: now))
    #expect(APIKeyRule.shouldRecordUse(lastUsedAt: now.addingTimeInterval(-3600), now: now))
  }
}
