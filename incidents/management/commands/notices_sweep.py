"""Queue every PDF notice still pending (e.g. after a broker outage): what the beat task does, by hand."""

from django.core.management.base import BaseCommand

from incidents.services.notices import notice_sweep


class Command(BaseCommand):
    help = "Queue every notice left pending for longer than --after seconds."

    def add_arguments(self, parser):
        parser.add_argument("--after", type=int, default=None, help="seconds (default: the setting)")

    def handle(self, *args, after=None, **options):
        queued = notice_sweep(older_than_seconds=after)
        self.stdout.write(f"{queued} notice(s) queued")
