"""RFC 9457 problem details (application/problem+json): the one shape of every error the API answers.

Here, below every app, so the request guards (common/middleware.py) answer an API address in the same shape as the
API's own views (api/problems.py) do.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def is_api_request(request: HttpRequest | None) -> bool:
    # None: a page rendered with no request (the 503 page of a database outage met outside a request's view).
    return request is not None and request.path.startswith(API_PREFIX)


def problem_body(*, status: int, title: str, detail: str = "", code: str = "", **extra: Any) -> dict[str, Any]:
    """The members RFC 9457 names, with `code` (a stable word for programs) as the problem type."""
    body: dict[str, Any] = {"type": f"urn:qorgau:problem:{code}" if code else "about:blank", "title": title}
    body["status"] = status
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body


def problem_response(*, status: int, title: str, detail: str = "", code: str = "", **extra: Any) -> JsonResponse:
    body = problem_body(status=status, title=title, detail=detail, code=code, **extra)
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def malformed_request_problem() -> JsonResponse:
    """The API's 400 for a request nothing could read: Django's handler400 and the request guards both answer it."""
    return problem_response(status=400, title=_("The request is malformed."), code="bad_request")
