"""A real OpenID Connect provider for Latchkey's tests and demo: django-oauth-toolkit with
OIDC_ENABLED, nothing else. Everything it keeps lives in IDP_DATA_DIR (created by
scripts/lib.sh start_idp_provider): the SQLite database, the RSA signing key (made there with
openssl) and Django's secret key. IDP_ISSUER is the issuer it announces, exactly the URL
Latchkey is configured with (http://127.0.0.1:<port>/o).
"""

import os
from pathlib import Path

DATA_DIR = Path(os.environ["IDP_DATA_DIR"])
ISSUER = os.environ["IDP_ISSUER"]

SECRET_KEY = (DATA_DIR / "django-secret-key").read_text().strip()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "idp",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "idp.middleware.TokenClientAuthLog",
]
ROOT_URLCONF = "idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "idp.sqlite3")}
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"

# Browsers do not separate cookies by port: Latchkey on another loopback port must not see
# (or overwrite) the provider's session and CSRF cookies, so they get names of their own.
SESSION_COOKIE_NAME = "idp_session"
CSRF_COOKIE_NAME = "idp_csrftoken"
LOGIN_URL = "/accounts/login/"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Seconds since the epoch first: the key rotation check reads when Latchkey fetched the JWKS.
    "formatters": {"access": {"format": "%(created).3f %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "access"}},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO"},
        "idp.token": {"handlers": ["console"], "level": "INFO"},
    },
}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": (DATA_DIR / "oidc-rsa.pem").read_text(),
    # Keys rotated out (scripts/lib.sh rotate_idp_provider_key): still published in the JWKS.
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [
        path.read_text() for path in sorted(DATA_DIR.glob("oidc-rsa-inactive-*.pem"))
    ],
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "idp.validator.ClaimsValidator",
    "SCOPES": {
        "openid": "Sign you in",
        "email": "Your email address",
        "profile": "Your user name",
        "groups": "Your groups",
        # GitHub's scopes, for the GitHub-shaped endpoints (idp/github.py).
        "read:user": "Your GitHub-style profile",
        "user:email": "Your GitHub-style email addresses",
        "read:org": "Your GitHub-style organization and team memberships",
    },
    "DEFAULT_SCOPES": ["openid"],
    # Always show the consent page (the "Cancel" button is the upstream access_denied).
    "REQUEST_APPROVAL_PROMPT": "force",
}
