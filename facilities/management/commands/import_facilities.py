"""`manage.py import_facilities [FILE.csv] [--posts POSTS.csv]`: load a facility registry and its police posts,
all rows of both files or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from facilities import registry
from facilities.registry import RegistryError
from facilities.services import registry_import

COLUMN_HELP = """
Columns (header row required; comma or semicolon separated; UTF-8):
  code (required)      unique slug, e.g. ala-gkb-7; an existing code updates that facility
  name_ru, name_kk, name_en (required)
  kind (required)      multi_profile | children | perinatal | maternity | ambulance | polyclinic | other
  district (required)  alatau | almaly | auezov | bostandyk | zhetysu | medeu | nauryzbay | turksib
  address              optional
  latitude, longitude  optional decimal degrees (both or neither)
  active               yes/no, blank = yes
  parent               code of the parent facility (ambulance substation -> station)
  is_sample            yes/no, blank = no
  departments          department kinds separated by ";": emergency;ward;icu;surgery;outpatient;ambulance_crew;other

Police posts (--posts POSTS.csv, with or without a facilities file):
  code (required)               e.g. ALA-PP-07; an existing code updates that post
  facility (required)           the facility's code, in the facilities file or already loaded
  police_department (required)  the district police department's code, e.g. up-medeu
  email                         where its notices are e-mailed; required for an active post
  phone                         optional
  telegram_chat_id              optional, the post's Telegram group chat (-100…); no column keeps admin's
  round_the_clock               yes/no, blank = yes
  status                        planned | active, blank = planned
  opened_on                     YYYY-MM-DD, optional
Every row of both files is checked first; if any row is bad, each one is reported with its file and line number
and nothing is loaded.
"""


class Command(BaseCommand):
    help = "Loads a facility registry from a CSV file, all rows or none." + COLUMN_HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?", help="The registry CSV file.")
        parser.add_argument("--posts", type=Path, help="The police posts CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the files and load nothing.")

    def _read(self, path: Path, read, problems: list[str]) -> list:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                return read(stream)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        except RegistryError as exc:
            problems.extend(f"{path}: {error}" for error in exc.errors)
            return []

    def handle(self, *args, file: Path | None, posts: Path | None = None, dry_run=False, **options):
        if file is None and posts is None:
            raise CommandError("Give a facilities file, a police posts file (--posts), or both.")
        problems: list[str] = []
        facility_rows = self._read(file, registry.read_facility_rows, problems) if file else []
        post_rows = []
        if posts:
            # Posts may sit in facilities of the file read with them, even if that file has bad rows elsewhere.
            new = self._codes_in(file) if file else []
            post_rows = self._read(posts, lambda stream: registry.read_post_rows(stream, new_facilities=new), problems)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); nothing was loaded.")
        if dry_run:
            self.stdout.write(f"{len(facility_rows) + len(post_rows)} rows are valid; nothing was loaded (--dry-run).")
            return
        report = registry_import(facilities=facility_rows, posts=post_rows)
        for line in report.lines():
            self.stdout.write(line)
        loaded = [f"{len(facility_rows)} facilities from {file}"] if file else []
        loaded += [f"{len(post_rows)} police posts from {posts}"] if posts else []
        self.stdout.write(self.style.SUCCESS(f"Imported {' and '.join(loaded)}."))

    @staticmethod
    def _codes_in(path: Path) -> list[str]:
        """The codes a facilities file names, so that a bad facility row is not also reported by its posts."""
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                reader = registry.open_reader(stream)
                return [(row.get("code") or "").strip() for row in reader if row.get("code")]
        except (OSError, UnicodeDecodeError):
            return []
