"""The one gate of two-factor login: a user who must give a second factor opens nothing else until they have.

Every page, admin included, sends such a user (accounts/security.py `two_factor_required`) who has not been
verified in this session to set up an authenticator app or to enter its code, and back to the page afterwards.
Only the two-factor pages themselves, logging out and choosing the language stay open.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.security import has_authenticator, two_factor_required
from common.problems import is_api_request, problem_response

OPEN_VIEWS = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "admin:logout",
        "set_language",
    }
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        user = request.user
        if not two_factor_required(user) or user.is_verified():
            return None
        if is_api_request(request):
            # A script cannot follow the setup page: the API says what is missing instead.
            return problem_response(
                status=403, title=_("Give your second factor on the site first."), code="second_factor"
            )
        step = "accounts:two_factor_verify" if has_authenticator(user) else "accounts:two_factor_setup"
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
