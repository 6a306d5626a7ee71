"""Ministry statistics: a monthly snapshot of incident counts, and the statistics reports made from it.

The snapshot holds counts only (no incident ids, no names, no text): one row per month, facility,
dimension and value. Every figure the dashboard, the PDF and the exports show is a sum of these rows,
so all outputs agree with each other and with the data dictionary. See `analytics/snapshot.py`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyCount(models.Model):
    """How many incidents (or victims) of one facility, in one local calendar month, had one value."""

    month = models.DateField(_("month"))  # the first day of the month, Asia/Almaty
    # No database constraint: the snapshot is rewritten whole at each refresh, from incidents whose own foreign
    # key guarantees the facility, and checking it again row by row cost a quarter of the refresh (issue 14).
    # Deleting a facility still deletes its rows (Django's CASCADE).
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("facility"),
        db_constraint=False,
    )
    dimension = models.CharField(_("dimension"), max_length=16)
    value = models.CharField(_("value"), max_length=32, blank=True)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "month", "facility", "value"], name="monthly_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.facility_id} {self.dimension}={self.value}: {self.count}"


class MonthlyDuration(models.Model):
    """How many incidents of one facility and month took `value` (minutes or days) to reach a stage."""

    class Metric(models.TextChoices):
        ACK_MINUTES = "ack_minutes", _("minutes to acknowledgement")
        ERDR_DAYS = "erdr_days", _("days to ERDR registration")

    month = models.DateField(_("month"))
    # No database constraint: the snapshot is rewritten whole at each refresh, from incidents whose own foreign
    # key guarantees the facility, and checking it again row by row cost a quarter of the refresh (issue 14).
    # Deleting a facility still deletes its rows (Django's CASCADE).
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("facility"),
        db_constraint=False,
    )
    metric = models.CharField(_("metric"), max_length=16, choices=Metric.choices)
    value = models.PositiveIntegerField(_("value"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("monthly duration")
        verbose_name_plural = _("monthly durations")
        constraints = [
            models.UniqueConstraint(fields=["metric", "month", "facility", "value"], name="monthly_duration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.facility_id} {self.metric}={self.value}: {self.count}"


class Snapshot(models.Model):
    """The one row that says when the counts were taken (the data cut-off) and how long it took."""

    cutoff = models.DateTimeField(_("data cut-off"))
    refreshed_at = models.DateTimeField(_("refreshed at"))
    duration_ms = models.PositiveIntegerField(_("refresh time, ms"))
    incidents = models.PositiveIntegerField(_("incidents counted"))
    # A digest of the counting queries the rows were made by: when the code counts differently (a new statute, a
    # new dimension), the next refresh rebuilds every group instead of only the changed ones.
    rules = models.CharField(_("counting rules"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self) -> str:
        return f"{self.cutoff:%Y-%m-%d %H:%M}"


class SnapshotChange(models.Model):
    """A write to an incident or a victim that the snapshot has not counted yet: where the incident was (its time
    and facility, so its month's group) before or after the write.

    Written only by database triggers (migration 0005), in the transaction of the write, so no write path can forget
    it; read and deleted by the refresh (`analytics.snapshot`). No facility is "every group" (a TRUNCATE)."""

    occurred_at = models.DateTimeField(_("when it happened"), null=True)
    facility_id = models.BigIntegerField(_("facility"), null=True)

    class Meta:
        verbose_name = _("snapshot change")
        verbose_name_plural = _("snapshot changes")

    def __str__(self) -> str:
        return f"{self.facility_id} {self.occurred_at:%Y-%m-%d}" if self.occurred_at else "every group"


def report_upload_to(instance: "StatisticsReport", filename: str) -> str:
    return f"statistics/{instance.key.hex}.pdf"


class StatisticsReport(models.Model):
    """A statistics PDF: asked for by an analyst, or made by the monthly schedule and e-mailed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    scheduled = models.BooleanField(_("made by the schedule"), default=False)
    period = models.CharField(_("period"), max_length=16)  # "2026", "2026-Q1" or "2026-03"
    district = models.ForeignKey(
        "facilities.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    facility_kind = models.CharField(_("facility kind"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True)
    error = models.TextField(_("error"), blank=True)
    cutoff = models.DateTimeField(_("data cut-off"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("render time, ms"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistics report")
        verbose_name_plural = _("statistics reports")

    def __str__(self) -> str:
        return f"{self.period} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
