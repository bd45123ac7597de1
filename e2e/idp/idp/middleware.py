"""Logs how each client authenticated at the token endpoint (`client_secret_basic`: an
Authorization header; `client_secret_post`: `client_secret` in the body), never the secret, so
the tests can tell which method Latchkey used."""

import logging

logger = logging.getLogger("idp.token")


class TokenClientAuthLog:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in ("/o/token/", "/login/oauth/access_token"):
            if request.headers.get("Authorization", "").startswith("Basic "):
                method = "client_secret_basic"
            elif "client_secret" in request.POST:
                method = "client_secret_post"
            else:
                method = "none"
            client = request.POST.get("client_id", "(in the Authorization header)")
            logger.info("token endpoint client auth: %s client_id=%s", method, client)
        return self.get_response(request)
