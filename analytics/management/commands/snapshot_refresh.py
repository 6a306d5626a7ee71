"""Refresh the statistics snapshot now: `manage.py snapshot_refresh [--full]`.

Without `--full` it does what the periodic task does: recount the (month, facility) groups written since the last
refresh (or everything, when the change log cannot be trusted). `--full` recounts every group, as the first refresh.
"""

from django.core.management.base import BaseCommand

from analytics.snapshot import snapshot_refresh


class Command(BaseCommand):
    help = "Refresh the statistics snapshot (only the changed groups; --full: every group)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="recount every group, not only the changed ones")

    def handle(self, *args, full: bool, **options):
        snapshot = snapshot_refresh(full=full)
        self.stdout.write(f"Statistics snapshot: {snapshot.incidents} incidents counted, {snapshot.duration_ms} ms.")
