"""Recompute the stored deadlines after a change of the status limits in settings or of the law."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from incidents.services.deadlines import deadlines_refresh


class Command(BaseCommand):
    help = "Recompute Incident.procedure and Incident.due_at of the open cases (--all: of every case)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--all", action="store_true", dest="every_case", help="Every case, not only open ones.")

    def handle(self, *args: Any, every_case: bool, **options: Any) -> None:
        self.stdout.write(f"{deadlines_refresh(every_case=every_case)} case(s) changed")
