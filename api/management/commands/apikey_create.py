"""`manage.py apikey_create --post ALA-PP-03 --name "panic button, admission"`: prints the new key once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import apikey_create


class Command(BaseCommand):
    help = "Creates an API key for one police post or one facility and prints it once (only its hash is kept)."

    def add_arguments(self, parser):
        place = parser.add_mutually_exclusive_group(required=True)
        place.add_argument("--post", default="", help="The police post's code, e.g. ALA-PP-03.")
        place.add_argument("--facility", default="", help="The facility's code.")
        parser.add_argument("--name", required=True, help='What the key is for, e.g. "panic button, admission".')

    def handle(self, *args, post="", facility="", name="", **options):
        try:
            key, raw = apikey_create(name=name, post_code=post, facility_code=facility)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        place = key.post or key.facility
        self.stderr.write(f"API key {key.prefix} for {place} ({key.name}); it is shown only now:")
        self.stdout.write(raw)
