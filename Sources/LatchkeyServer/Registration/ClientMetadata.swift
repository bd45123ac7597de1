/// RFC 7591 §2 client metadata as a registration request carries it. Unknown fields are
/// ignored (§3.1: the server MAY ignore them).
struct ClientMetadata: Codable, Sendable, Equatable {
  var redirectURIs: [String]?
  var clientName: String?
  var tokenEndpointAuthMethod: String?
  var grantTypes: [String]?
  var responseTypes: [String]?
  var applicationType: String?
  var scope: String?
  var softwareID: String?
  var softwareVersion: String?
  var clientURI: String?
  var logoURI: String?
  /// Checked (https only) but not stored or shown.
  var policyURI: String?
  /// Checked (https only) but not stored or shown.
  var tosURI: String?

  enum CodingKeys: String, CodingKey {
    case redirectURIs = "redirect_uris"
    case clientName = "client_name"
    case tokenEndpointAuthMethod = "token_endpoint_auth_method"
    case grantTypes = "grant_types"
    case responseTypes = "response_types"
    case applicationType = "application_type"
    case scope
    case softwareID = "software_id"
    case softwareVersion = "software_version"
    case clientURI = "client_uri"
    case logoURI = "logo_uri"
    case policyURI = "policy_uri"
    case tosURI = "tos_uri"
  }
}

/// The RFC 7591 §3.2.1 registration response.
struct ClientInformationResponse: Encodable, Sendable {
  let clientID: String
  let clientIDIssuedAt: Int64
  let clientSecret: String?
  let clientSecretExpiresAt: Int?
  let redirectURIs: [String]
  let clientName: String
  let tokenEndpointAuthMethod: String
  let grantTypes: [String]
  let responseTypes: [String]
  let applicationType: String
  let scope: String?
  let softwareID: String?
  let softwareVersion: String?

  enum CodingKeys: String, CodingKey {
    case clientID = "client_id"
    case clientIDIssuedAt = "client_id_issued_at"
    case clientSecret = "client_secret"
    case clientSecretExpiresAt = "client_secret_expires_at"
    case redirectURIs = "redirect_uris"
    case clientName = "client_name"
    case tokenEndpointAuthMethod = "token_endpoint_auth_method"
    case grantTypes = "grant_types"
    case responseTypes = "response_types"
    case applicationType = "application_type"
    case scope
    case softwareID = "software_id"
    case softwareVersion = "software_version"
  }
}
