"""Request guards that must act before anything reads the request.

They are listed last in MIDDLEWARE, so their pages are rendered like any other (language, user, CSP), and their
`__call__` still runs before every `process_view` (the CSRF check, the two-factor redirect) and before the
views with their login redirects and role gates.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from common.problems import is_api_request, malformed_request_problem, problem_response

_View = Callable[..., Any]

# Every page of the site answers GET, HEAD and POST at most (each view narrows it further); Django admin too.
SITE_METHODS = ("GET", "HEAD", "POST")


class RequestSizeLimitMiddleware:
    """Answer 413 to a body larger than QORGAU_REQUEST_MAX_BYTES, before anything reads or stores it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files, so without this a single form post could
    stream any amount to the disk. Listed last, so the page is rendered like any other (language, user, CSP);
    the CSRF check and the views, which read the body, run only after it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.QORGAU_REQUEST_MAX_BYTES
        if length > limit:
            if is_api_request(request):
                return problem_response(
                    status=413,
                    title=_("The request is too large."),
                    detail=_("At most %(limit)s bytes.") % {"limit": limit},
                    code="too_large",
                )
            return render(request, "413.html", {"limit": limit}, status=413)
        return self.get_response(request)


def bad_request(request: HttpRequest) -> HttpResponse:
    """The translated 400 page (a problem+json body for the API)."""
    if is_api_request(request):
        return malformed_request_problem()
    return render(request, "400.html", status=400)


def also_serves(*methods: str) -> Callable[[_View], _View]:
    """Mark a JSON endpoint that serves a method beyond GET/HEAD/POST (DELETE of a push subscription): the method
    guard lets that method through to it, and to nothing else. Put it outermost."""

    def mark(view: _View) -> _View:
        view.extra_site_methods = tuple(methods)  # type: ignore[attr-defined]
        return view

    return mark


def extra_methods_of(path: str, urlconf: str | None = None) -> tuple[str, ...]:
    """The methods beyond SITE_METHODS that the view at `path` declared with `also_serves`."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return ()
    return tuple(getattr(match.func, "extra_site_methods", ()))


class MethodGuardMiddleware:
    """405 for PUT, DELETE, PATCH, TRACE, OPTIONS and the like on every URL, before any login or role check.

    No page serves them; Django admin and a class-based view would otherwise treat some of them as a GET or a
    POST. The views still narrow GET/HEAD/POST down with `require_http_methods`, outermost of their decorators.
    A JSON endpoint that serves one more (`also_serves("DELETE")`) gets that one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SITE_METHODS and request.method not in extra_methods_of(
            request.path_info, getattr(request, "urlconf", None)
        ):
            if is_api_request(request):
                response = problem_response(
                    status=405, title=_("This method is not allowed here."), code="method_not_allowed"
                )
                response["Allow"] = ", ".join(SITE_METHODS)
                return response
            return HttpResponseNotAllowed(SITE_METHODS)
        return self.get_response(request)


class BadCharactersMiddleware:
    """400 for a NUL character in the path or the query string.

    Nobody types one, and PostgreSQL refuses it in a query: an admin list filter or search (`?q=`) with one
    was a 500. Forms refuse it in what is posted, with an error next to the field and what was typed kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(_has_nul(key, values) for key, values in request.GET.lists()):
            return bad_request(request)
        return self.get_response(request)


def _has_nul(key: str, values: list[str]) -> bool:
    return "\x00" in key or any("\x00" in value for value in values)


class AdminGuardMiddleware:
    """400 for what Django admin's change lists do not check themselves, on every model admin (third-party too).

    - A bulk action on ids that are not ids of the model (`_selected_action=abc`): admin filters `pk__in` with
      the posted values as they are, and a value the primary key cannot take was a 500. Checked with the key
      field itself.
    - A date hierarchy's year, month or day that is no such number (`?created_at__year=99999999999999999999`):
      admin builds a date from it and catches ValueError, not the OverflowError a huge number raises.
    - An id in another script's digits (`١`): Python's int() reads it as 1, so an action meant for nothing
      would run on row 1. Only ASCII is an id.
    - A list filter's value too big for its column (`?resource_type=99999999999999999999`, auditlog's filter):
      the database refuses it (OverflowError on SQLite, DataError on PostgreSQL) while the list is read, after
      every check admin does; a read of a change list raising either is answered 400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None:
            return None
        request.admin_list_read = request.method in ("GET", "HEAD")  # type: ignore[attr-defined]
        if hierarchy := model_admin.date_hierarchy:
            for part in ("year", "month", "day"):
                if not all(_date_part(value) for value in request.GET.getlist(f"{hierarchy}__{part}")):
                    return bad_request(request)
        if request.method == "POST" and ACTION_CHECKBOX_NAME in request.POST:
            key = model_admin.model._meta.pk
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                if not value.isascii():
                    return bad_request(request)
                try:
                    key.run_validators(key.to_python(value))
                except (ValidationError, ValueError, TypeError):
                    return bad_request(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if getattr(request, "admin_list_read", False) and isinstance(exception, OverflowError | DataError):
            return bad_request(request)
        return None


def _date_part(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 4
