"""The same server in GitHub's shape, for Latchkey's non-OIDC `github` kind with a GitHub
Enterprise Server `base_url` (this server's root): plain OAuth 2.0 without the `openid` scope
(django-oauth-toolkit's own authorize and token views under GitHub's paths; a missing
`response_type` is taken as `code` and a missing `grant_type` as `authorization_code`, as
GitHub does) and the few REST
API endpoints Latchkey reads (GitHub REST API 2022-11-28), answered from the Django user:

- `GET /api/v3/user` (scope `read:user`): `id` (the primary key), `login`, `name`;
- `GET /api/v3/user/emails` (`user:email`): the user's email, primary and verified;
- `GET /api/v3/user/memberships/orgs/{org}` (`read:org`): active when the user is in the
  Django group named `{org}`, else 404;
- `GET /api/v3/orgs/{org}/teams/{team}/memberships/{username}` (`read:org`): active when that
  user is in the group `{org}/{team}`, else 404.

A stand-in with GitHub's request and answer shapes, not GitHub: scopes, errors and rate limits
are django-oauth-toolkit's."""

from django.contrib.auth.models import User
from django.http import HttpResponseRedirect, JsonResponse
from oauth2_provider.decorators import protected_resource
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import AuthorizationView, TokenView

_authorization_view = AuthorizationView.as_view()
_token_view = TokenView.as_view()


def authorize(request):
    """GitHub's authorize endpoint takes no `response_type` (it only does the code flow);
    django-oauth-toolkit requires one, so it is added (once, by a redirect) when missing."""
    if request.method == "GET" and "response_type" not in request.GET:
        query = request.GET.copy()
        query["response_type"] = "code"
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
    return _authorization_view(request)


@csrf_exempt
def access_token(request):
    """GitHub's token request has no `grant_type` (it is always the code); django-oauth-toolkit
    requires one, so `authorization_code` is added when missing."""
    if request.method == "POST" and "grant_type" not in request.POST:
        form = request.POST.copy()
        form["grant_type"] = "authorization_code"
        request.POST = form
    return _token_view(request)


def _not_found():
    return JsonResponse({"message": "Not Found"}, status=404)


@protected_resource(scopes=["read:user"])
def user(request):
    owner = request.resource_owner
    return JsonResponse({"id": owner.pk, "login": owner.username, "name": owner.get_full_name()})


@protected_resource(scopes=["user:email"])
def user_emails(request):
    owner = request.resource_owner
    emails = [{"email": owner.email, "primary": True, "verified": True, "visibility": "private"}]
    return JsonResponse(emails if owner.email else [], safe=False)


@protected_resource(scopes=["read:org"])
def organization_membership(request, org):
    if not request.resource_owner.groups.filter(name=org).exists():
        return _not_found()
    return JsonResponse({"state": "active", "role": "member", "organization": {"login": org}})


@protected_resource(scopes=["read:org"])
def team_membership(request, org, team, username):
    member = User.objects.filter(username=username, groups__name=f"{org}/{team}").exists()
    return JsonResponse({"state": "active", "role": "member"}) if member else _not_found()
