"""`manage.py apikey_demo FILE`: the demo's API key (post ALA-PP-03, where the demo officer works), printed.

The key is shown once when made, so the demo keeps it in FILE (var/demo-api-key, never in git, as the demo password
is) and makes a new one when the file is missing or its key no longer works (a new database, a revoked key).
"""

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import PlaceAPIKey
from api.services import apikey_create

DEMO_POST = "ALA-PP-03"
DEMO_NAME = "demo panic button, admission"


class Command(BaseCommand):
    help = "Prints the demo API key kept in FILE, making a new one for post ALA-PP-03 when it is missing or invalid."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where the demo key is kept, e.g. var/demo-api-key.")
        parser.add_argument("--post", default=DEMO_POST)

    def handle(self, *args, file: str, post: str, **options):
        path = Path(file)
        raw = path.read_text().strip() if path.exists() else ""
        if raw and PlaceAPIKey.objects.is_valid(raw):
            self.stdout.write(raw)
            return
        try:
            _key, raw = apikey_create(name=DEMO_NAME, post_code=post)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(raw + "\n")
        os.chmod(path, 0o600)
        self.stdout.write(raw)
