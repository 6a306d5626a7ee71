"""Delete unsubmitted drafts untouched for N days, and unclaimed kept reports once their link expired (with files)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from incidents.services.drafts import kept_reports_purge


class Command(BaseCommand):
    help = "Delete unsubmitted report drafts older than --days (default 30) and unclaimed kept reports after 7 days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Default: QORGAU_DRAFT_RETENTION_DAYS (30).")

    def handle(self, *args, days: int | None, **options):
        days = settings.QORGAU_DRAFT_RETENTION_DAYS if days is None else days
        count = kept_reports_purge(older_than=dt.timedelta(days=days))
        self.stdout.write(f"{count} drafts deleted")
