"""Indexes added to the incidents tables of a running system are built CONCURRENTLY (issue 11).

A plain CREATE INDEX on `incidents_incident` or its people holds a lock that blocks every report and case action for
the whole build: minutes at a million incidents. From migration 0017 on (the earlier ones ran before there was data
to speak of), every index added to a table that an earlier migration created must be built concurrently, in a
migration that is not atomic. Tables created in the same migration are empty and exempt.
"""

from io import StringIO

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddIndex, CreateModel

from common.migrations_ops import AddIndexOnPostgreSQL

FIRST_GUARDED = 17


def incidents_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app == "incidents" and name[:4].isdigit() and int(name[:4]) >= FIRST_GUARDED:
            yield name, migration


def test_new_indexes_on_existing_incident_tables_are_built_concurrently():
    checked = 0
    for name, migration in incidents_migrations():
        created = {op.name.lower() for op in migration.operations if isinstance(op, CreateModel)}
        for op in migration.operations:
            if isinstance(op, AddIndex) and op.model_name.lower() not in created:
                checked += 1
                assert isinstance(op, AddIndexConcurrently), f"{name}: {op.index.name} locks the table while it builds"
                assert migration.atomic is False, f"{name}: CREATE INDEX CONCURRENTLY cannot run in a transaction"
    assert checked >= 4  # the four trigram indexes of 0017, at least: the guard is looking at real migrations


def test_the_trigram_indexes_are_created_concurrently():
    assert issubclass(AddIndexOnPostgreSQL, AddIndexConcurrently)


@pytest.mark.django_db(transaction=True)  # CONCURRENTLY refuses to run inside the test's transaction
def test_the_trigram_indexes_are_created_concurrently_on_postgresql():
    out = StringIO()
    call_command("sqlmigrate", "incidents", "0017", stdout=out)
    if connection.vendor == "postgresql":
        assert out.getvalue().count("CREATE INDEX CONCURRENTLY") == 4, out.getvalue()
    else:  # SQLite builds none of them (the search works without, slower)
        assert "CREATE INDEX" not in out.getvalue()
