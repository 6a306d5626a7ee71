"""`manage.py deploy`: what every node runs before it starts (deploy/bin/qorgau-start, the Dockerfile, systemd).

Safe on every node at once: the migrations run under a PostgreSQL advisory lock, so the first node migrates and
the others wait, then find nothing to do. Then the first statistics snapshot is built if there is none (so
/readyz is green from the start), and production's deployment checks run (config/startup.py).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from analytics.snapshot import current_snapshot, snapshot_refresh
from config.startup import refuse_misconfigured_start

# pg_advisory_lock's key: "qorg" in ASCII. Any process of any node asking for it waits for the one holding it.
DEPLOY_LOCK_KEY = 0x716F7267


@contextmanager
def deploy_lock(*, alias: str, timeout: float, wait_message: Any) -> Iterator[bool]:
    """Hold the deploy lock on a connection of its own (migrate may reconnect); yields whether it had to wait."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield False  # SQLite: one machine, one file
        return
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    waited = False
    try:
        deadline = time.monotonic() + timeout
        with raw.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [DEPLOY_LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise CommandError(f"Another node has held the deploy lock for over {timeout:g} s; gave up.")
                if not waited:
                    wait_message()
                waited = True
                time.sleep(0.5)
        yield waited
    finally:
        raw.close()  # ends the session, which releases the lock


class Command(BaseCommand):
    help = "Migrate under a lock (safe on every node at once), build the first statistics snapshot, check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--lock-timeout", type=float, default=900.0, help="seconds to wait for another node")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]

        def waiting() -> None:
            self.stdout.write("Another node is migrating: waiting for the deploy lock.")

        with deploy_lock(alias=alias, timeout=options["lock_timeout"], wait_message=waiting) as waited:
            call_command("migrate", database=alias, interactive=False, verbosity=options["verbosity"])
            if current_snapshot() is None:
                snapshot_refresh()
                self.stdout.write("Built the first statistics snapshot.")
        refuse_misconfigured_start()
        self.stdout.write(self.style.SUCCESS(f"Deployed{' (after waiting for another node)' if waited else ''}."))
