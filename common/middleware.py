"""Request guards that must act before anything reads the request."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
            return render(request, "413.html", {"limit": limit}, status=413)
        return self.get_response(request)
