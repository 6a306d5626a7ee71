"""Trigram (pg_trgm) GIN indexes for the officers' search: names by any part, references and ERDR numbers by
any part, at national scale. PostgreSQL only: elsewhere (SQLite) the search works without them."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from common.migrations_ops import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY, so that reports and case work go on meanwhile

    dependencies = [("incidents", "0016_people_phone_and_search_keys")]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; nothing on other databases
        AddIndexOnPostgreSQL(
            model_name="victim",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name_key"], name="victim_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        AddIndexOnPostgreSQL(
            model_name="attacker",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name_key"], name="attacker_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        AddIndexOnPostgreSQL(
            model_name="incident",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["reference"], name="incident_reference_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        AddIndexOnPostgreSQL(
            model_name="incident",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["erdr_number"], name="incident_erdr_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
