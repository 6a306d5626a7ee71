"""`manage.py verify_media`: every stored evidence file, draft upload and notice PDF against its SHA-256 in the
database; lists each one missing or altered and exits with status 1 if there is any (scripts/restore.sh runs it)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from incidents.selectors.media import media_check


class Command(BaseCommand):
    help = "Check every stored file's SHA-256 against the database; list what is missing or altered."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = media_check()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} of {checked} stored files are missing or altered.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} stored files match their SHA-256."))
