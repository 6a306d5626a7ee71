"""Error views that tell a database outage from a bug: during an outage users get the app's own translated
"temporarily unavailable" page (503, try again shortly), not "Something went wrong" nor "Bad request"."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from common.problems import is_api_request, malformed_request_problem, problem_response

# Seconds a browser or a proxy is told to wait before trying again.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an error it was raised from or while handling, is a lost or refused database connection."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page: rendered with no request context, so nothing on it needs the database or the user."""
    if is_api_request(request):
        problem = problem_response(
            status=503, title=_("Temporarily unavailable: try again shortly."), code="unavailable"
        )
        problem["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return problem
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: the 503 page when the database is unavailable, else Django's (our templates/500.html)."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    if is_api_request(request):
        return problem_response(status=500, title=_("Something went wrong on our side."), code="server_error")
    return defaults.server_error(request, template_name)


def bad_request(
    request: HttpRequest, exception: Exception, template_name: str = defaults.ERROR_400_TEMPLATE_NAME
) -> HttpResponse:
    """handler400: a session that could not be saved because the database is down is an outage, not a bad request."""
    if database_unavailable(exception):
        return unavailable(request)
    if is_api_request(request):
        return malformed_request_problem()
    return defaults.bad_request(request, exception, template_name)


def page_not_found(
    request: HttpRequest, exception: Exception, template_name: str = defaults.ERROR_404_TEMPLATE_NAME
) -> HttpResponse:
    """handler404: the site's page, or problem+json at an API address no endpoint serves."""
    if is_api_request(request):
        return problem_response(status=404, title=_("Not found."), code="not_found")
    return defaults.page_not_found(request, exception, template_name)
