"""Deployment check: every active police post can be reached (its notices are e-mailed)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError


@register(deploy=True)
def post_contact_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """An active post without an e-mail address never receives its notices."""
    post_model = apps.get_model("facilities", "PolicePost")
    try:
        codes = list(
            post_model.objects.filter(status=post_model.Status.ACTIVE, email="")
            .order_by("code")
            .values_list("code", flat=True)
        )
    except DatabaseError:
        # Not migrated yet, or the database is down: `manage.py deploy` migrates, /readyz reports the database.
        return []
    if not codes:
        return []
    return [
        Error(
            f"Active police posts without a contact e-mail (notices cannot reach them): {', '.join(codes)}.",
            hint="Give each post its e-mail in admin (Facilities › Police posts) or with import_facilities, "
            "or mark it planned.",
            id="qorgau.E006",
        )
    ]
