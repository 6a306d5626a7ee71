"""The audit log of the officers' case searches: searching people is sensitive, so every search is kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseSearch(models.Model):
    """One search by an officer: who, when, by what, and how many cases it found.

    A name or an IIN is never kept in clear: `query_digest` is a keyed hash of it (for an IIN, the same digest
    as `Attacker.iin_digest`), so an auditor who has the name or IIN can still find who searched for it.
    References and ERDR numbers are kept as typed.
    """

    class Kind(models.TextChoices):
        REFERENCE = "reference", _("reference number")
        ERDR = "erdr", _("ERDR number")
        NAME = "name", _("a person's name")
        IIN = "iin", _("IIN")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("searched by")
    )
    searched_at = models.DateTimeField(_("searched at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("searched by what"), max_length=16, choices=Kind.choices)
    query = models.CharField(_("query"), max_length=64, blank=True)
    query_digest = models.CharField(_("query digest"), max_length=64, blank=True, db_index=True)
    results = models.PositiveIntegerField(_("cases found"))

    class Meta:
        ordering = ["-searched_at", "-pk"]
        verbose_name = _("case search")
        verbose_name_plural = _("case searches")
        indexes = [models.Index(fields=["user", "-searched_at"], name="case_search_user_recent")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.searched_at:%Y-%m-%d %H:%M}"
