"""What every API view shares: the method is checked first, as on every page (tests/security/test_methods.py)."""

from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request


class MethodFirst:
    """405 for a method the view does not serve, before authentication: the same answer whoever asks."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):  # type: ignore[attr-defined]
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
