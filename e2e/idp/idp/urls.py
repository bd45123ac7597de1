"""The provider's pages: django-oauth-toolkit under /o/ (discovery at
/o/.well-known/openid-configuration, authorize, token, userinfo, JWKS), a plain HTML login form
(Django's LoginView, CSRF cookie) where /o/authorize/ sends a browser without a session, and
the same server in GitHub Enterprise Server's shape (idp/github.py)."""

from django.contrib.auth.views import LoginView
from django.urls import include, path

from idp import github

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path(
        "accounts/login/",
        LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    # GitHub's paths (GitHub REST "Authorizing OAuth apps"; API at <base>/api/v3).
    path("login/oauth/authorize", github.authorize),
    path("login/oauth/access_token", github.access_token),
    path("api/v3/user", github.user),
    path("api/v3/user/emails", github.user_emails),
    path("api/v3/user/memberships/orgs/<str:org>", github.organization_membership),
    path("api/v3/orgs/<str:org>/teams/<str:team>/memberships/<str:username>",
         github.team_membership),
]
