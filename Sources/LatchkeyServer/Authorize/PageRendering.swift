import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore

extension AuthorizationServer {
  /// For metadata-document clients (`client_id` is an https URL), the host that vouches for the
  /// name, since the name itself is self-asserted.
  static func clientHost(_ client: Client) -> String? {
    guard client.origin == .metadataDocument || client.id.hasPrefix("https://") else { return nil }
    return URLComponents(string: client.id)?.host
  }

  func loginPage(
    _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest,
    username: String = "", message: String? = nil, note: String? = nil,
    status: HTTPResponse.Status = .ok
  ) -> Response {
    var values = formValues(validated, interaction: interaction)
    values["username"] = username
    values["username_given"] = !username.isEmpty
    if let message { values["message"] = message }
    if let note { values["note"] = note }
    values["local_accounts"] = configuration.localAccounts
    values["providers"] = identityProviders.providers.map { provider in
      ["id": provider.configuration.id, "name": provider.configuration.displayName]
    }
    return page(.login, values, status: status, interaction: interaction)
  }

  func consentPage(
    _ validated: ValidatedAuthorizationRequest, username: String, scopes: ScopeSet,
    grantedBefore: Bool, interaction: InteractionRequest
  ) -> Response {
    var values = formValues(validated, interaction: interaction)
    values["username"] = username
    values["resource_url"] = validated.resource.url
    values["granted_before"] = grantedBefore
    if !validated.droppedScopes.isEmpty {
      values["dropped_scopes"] = validated.droppedScopes.parameter
    }
    values["scopes"] = scopes.tokens.map { name in
      ["name": name, "description": ScopeWording.description(of: name, in: validated.resource)]
    }
    return page(.consent, values, status: .ok, interaction: interaction)
  }

  func errorPage(_ status: HTTPResponse.Status, title: String, message: String) -> Response {
    let values = [
      "title": title, "message": message,
      "issuer_host": ClientPresentation.issuerHost(issuer),
    ]
    return Responses.html(interaction.pages.render(.error, values), status: status)
  }

  private func formValues(
    _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest
  ) -> [String: Any] {
    var values: [String: Any] = [
      "client_name": validated.client.name,
      "client_monogram": ClientPresentation.monogram(validated.client.name),
      "issuer_host": ClientPresentation.issuerHost(issuer),
      "resource_name": validated.resource.name,
      "action": authorizePath,
      "csrf_token": interaction.csrfToken,
      "hidden":
        (interaction.interactionID.map { [HiddenField(name: "interaction", value: $0)] }
        ?? []).map(\.templateValue),
    ]
    if let host = Self.clientHost(validated.client) { values["client_host"] = host }
    let presentation = ClientPresentation.of(validated.client, redirectURI: validated.redirectURI)
    values.merge(presentation.templateValues) { _, new in new }
    return values
  }

  private func page(
    _ name: PageLibrary.Name, _ values: [String: Any], status: HTTPResponse.Status,
    interaction: InteractionRequest
  ) -> Response {
    var response = Responses.html(self.interaction.pages.render(name, values), status: status)
    if interaction.csrfTokenIsNew {
      response.setCookie(interactionCookies.csrfCookie(interaction.csrfToken))
    }
    return response
  }
}
