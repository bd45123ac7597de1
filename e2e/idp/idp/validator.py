"""The claims Latchkey's allow rules read, in the id_token and at userinfo: `email` and
`email_verified` (scope `email`), `preferred_username` (scope `profile`), `groups` (scope
`groups`: the names of the user's Django groups)."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "email",
        "email_verified": "email",
        "preferred_username": "profile",
        "groups": "groups",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": bool(user.email),
            "preferred_username": user.username,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
