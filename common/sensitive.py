"""Views that handle reports and cases: what they receive and hold never reaches an error report."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

View = TypeVar("View", bound=Callable[..., Any])


def sensitive_view(view: View) -> View:
    """Hide the POST and the local variables of the view, and of everything it calls, from error e-mails and logs.

    A crash while a nurse submits would otherwise send the administrators the names, IINs and account she typed
    (Django's error report lists the POST and each frame's variables).
    """
    hidden = sensitive_post_parameters()(sensitive_variables()(view))

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return hidden(*args, **kwargs)

    wrapper.is_sensitive = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
