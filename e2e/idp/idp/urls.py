"""The provider's pages: django-oauth-toolkit under /o/ (discovery at
/o/.well-known/openid-configuration, authorize, token, userinfo, JWKS) and a plain HTML login
form (Django's LoginView, CSRF cookie) where /o/authorize/ sends a browser without a session."""

from django.contrib.auth.views import LoginView
from django.urls import include, path

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path(
        "accounts/login/",
        LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
]
