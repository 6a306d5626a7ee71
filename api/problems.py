"""The API's errors as RFC 9457 problem+json, each naming the field it is about (DRF's EXCEPTION_HANDLER).

Django's own refusals that services raise (Http404, PermissionDenied, ValidationError) get the same shape, so a
service shared with the pages needs no API-specific exceptions.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from common.problems import PROBLEM_CONTENT_TYPE, problem_body


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy("Send the case's ETag in If-Match: the version you saw.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    """The case changed since the client read it (If-Match); the problem carries the case as it is now."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Another officer changed this case a moment ago. Here is its new state; check it and try again."
    )
    default_code = "conflict"

    def __init__(self, *, current: Mapping[str, Any], etag: str, detail: str | None = None) -> None:
        super().__init__(detail=detail)
        self.current = current
        self.etag = etag


class ActionRefused(exceptions.APIException):
    """The action is not allowed in the case's state (the pages' 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Not possible in the case's current state.")
    default_code = "refused"


def _titles() -> dict[int, str]:
    return {
        400: _("The request has invalid fields."),
        401: _("Authentication is needed: an API key, a token or a session."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        406: _("This response format is not available."),
        409: _("Not possible in the case's current state."),
        412: _("The case has changed."),
        413: _("The request is too large."),
        415: _("This content type is not accepted."),
        428: _("A precondition is needed."),
        429: _("Too many requests: wait and try again."),
    }


def field_errors(detail: Any, path: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as a flat list of {field, detail, code}; `field` is a dotted path, "" for the whole."""
    if isinstance(detail, Mapping):
        found: list[dict[str, str]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            found += field_errors(value, f"{path}.{name}" if path and name else (name or path))
        return found
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        found = []
        for index, value in enumerate(detail):
            nested = isinstance(value, Mapping | list)
            found += field_errors(value, f"{path}.{index}" if nested else path)
        return found
    code = getattr(detail, "code", "invalid") or "invalid"
    return [{"field": path, "detail": str(detail), "code": str(code)}]


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    return None


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's hook: every refusal as problem+json; anything else is left to be a 500 (and a bug)."""
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        return None
    code = api_exc.status_code
    title = _titles().get(code, str(api_exc.default_detail))
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(api_exc.detail, Mapping | list):
        # Field by field, whatever the status: a 403 naming the field it refuses says which and why, as a 400 does.
        errors = field_errors(api_exc.detail)
        detail = "; ".join(f"{e['field']}: {e['detail']}" if e["field"] else e["detail"] for e in errors)
        extra["errors"] = errors
    else:
        detail = str(api_exc.detail)
    if isinstance(api_exc, exceptions.ValidationError):
        problem_code = "invalid"
    else:
        problem_code = str(getattr(api_exc, "default_code", "error"))
        if isinstance(api_exc.detail, exceptions.ErrorDetail) and api_exc.detail.code:
            problem_code = str(api_exc.detail.code)
    if isinstance(api_exc, PreconditionFailed):
        extra["current"] = api_exc.current
        headers["ETag"] = api_exc.etag
    headers.update(getattr(api_exc, "extra_headers", {}))
    if isinstance(api_exc, exceptions.Throttled) and api_exc.wait is not None:
        headers["Retry-After"] = str(int(api_exc.wait) + 1)
    if isinstance(api_exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF turns these into 403 when no scheme is named; ours always names one (api/authentication.py).
        headers["WWW-Authenticate"] = 'Api-Key realm="api", Bearer realm="api"'
        code = status.HTTP_401_UNAUTHORIZED
        title = _titles()[401]
    body = problem_body(status=code, title=title, detail=detail, code=problem_code, **extra)
    return Response(body, status=code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
