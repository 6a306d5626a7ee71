"""`manage.py import_facilities FILE.csv`: load a facility registry, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from facilities import registry
from facilities.registry import RegistryError
from facilities.services import facilities_import

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
Every row is checked first; if any row is bad, each one is reported with its line number and nothing is loaded.
"""


class Command(BaseCommand):
    help = "Loads a facility registry from a CSV file, all rows or none." + COLUMN_HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The registry CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and load nothing.")

    def handle(self, *args, file: Path, dry_run=False, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                rows = registry.read_facility_rows(stream)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        except RegistryError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(exc.errors)} problem(s) in {file}; nothing was loaded.") from exc
        if dry_run:
            self.stdout.write(f"{len(rows)} rows are valid; nothing was loaded (--dry-run).")
            return
        report = facilities_import(rows=rows)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {len(rows)} facilities from {file}."))
