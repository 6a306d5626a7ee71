"""The incidents' change log for the incremental snapshot refresh (issue 14): a table, and the triggers that write it.

Every write to an incident or a victim that can change what the snapshot counts leaves a row saying where the
incident was (time and facility: its month's group) before and after, in the same transaction as the write, whatever
wrote it (a service, the admin, a bulk update, a data migration, a seed). The columns watched are those the snapshot's
queries read; `tests/analytics/test_snapshot_changes.py` fails when a column the queries read is not watched here.
A TRUNCATE leaves a row without a facility: "every group".

PostgreSQL: one statement-level trigger per event, with transition tables (a COPY of a million incidents costs one
INSERT … SELECT, not a million calls). SQLite: row triggers.
"""

from django.db import migrations, models

INCIDENT = "incidents_incident"
VICTIM = "incidents_victim"
CHANGES = "analytics_snapshotchange"
# What the snapshot counts an incident by (analytics/snapshot.py), and a victim by.
INCIDENT_COLUMNS = (
    "occurred_at",
    "facility_id",
    "status",
    "act",
    "legal_part",
    "legal_applicable",
    "place",
    "acknowledged_at",
    "erdr_registered_on",
    "outcome",
    "submitted_at",
)
VICTIM_COLUMNS = ("incident_id", "role")

POSTGRESQL_FUNCTIONS = f"""
CREATE FUNCTION analytics_snapshot_change_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {CHANGES} (occurred_at, facility_id) SELECT DISTINCT occurred_at, facility_id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {CHANGES} (occurred_at, facility_id) SELECT DISTINCT occurred_at, facility_id FROM old_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {CHANGES} (occurred_at, facility_id)
        SELECT DISTINCT place.occurred_at, place.facility_id
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.occurred_at, o.facility_id), (n.occurred_at, n.facility_id))
            AS place (occurred_at, facility_id)
        WHERE ({", ".join(f"o.{c}" for c in INCIDENT_COLUMNS)})
            IS DISTINCT FROM ({", ".join(f"n.{c}" for c in INCIDENT_COLUMNS)});
    ELSE
        INSERT INTO {CHANGES} (occurred_at, facility_id) VALUES (NULL, NULL);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION analytics_snapshot_change_victim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {CHANGES} (occurred_at, facility_id)
        SELECT DISTINCT i.occurred_at, i.facility_id FROM new_rows AS v JOIN {INCIDENT} AS i ON i.id = v.incident_id;
    ELSIF TG_OP = 'DELETE' THEN
        -- An incident deleted in the same statement is gone here: its own trigger marked its group.
        INSERT INTO {CHANGES} (occurred_at, facility_id)
        SELECT DISTINCT i.occurred_at, i.facility_id FROM old_rows AS v JOIN {INCIDENT} AS i ON i.id = v.incident_id;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {CHANGES} (occurred_at, facility_id)
        SELECT DISTINCT i.occurred_at, i.facility_id
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        JOIN {INCIDENT} AS i ON i.id IN (o.incident_id, n.incident_id)
        WHERE ({", ".join(f"o.{c}" for c in VICTIM_COLUMNS)})
            IS DISTINCT FROM ({", ".join(f"n.{c}" for c in VICTIM_COLUMNS)});
    ELSE
        INSERT INTO {CHANGES} (occurred_at, facility_id) VALUES (NULL, NULL);
    END IF;
    RETURN NULL;
END $$;
"""


def _postgresql_triggers() -> list[str]:
    statements = [POSTGRESQL_FUNCTIONS]
    for table, kind in ((INCIDENT, "incident"), (VICTIM, "victim")):
        function = f"analytics_snapshot_change_{kind}()"
        statements += [
            f"CREATE TRIGGER analytics_snapshot_change_{kind}_insert AFTER INSERT ON {table}"
            f" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER analytics_snapshot_change_{kind}_update AFTER UPDATE ON {table}"
            f" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER analytics_snapshot_change_{kind}_delete AFTER DELETE ON {table}"
            f" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER analytics_snapshot_change_{kind}_truncate AFTER TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        ]
    return statements


def _sqlite_triggers() -> list[str]:
    def changed(columns: tuple[str, ...]) -> str:
        return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)

    insert = f"INSERT INTO {CHANGES} (occurred_at, facility_id)"
    of_incident = f"SELECT occurred_at, facility_id FROM {INCIDENT} WHERE id = {{}}.incident_id"
    return [
        f"CREATE TRIGGER analytics_snapshot_change_incident_insert AFTER INSERT ON {INCIDENT}"
        f" BEGIN {insert} VALUES (NEW.occurred_at, NEW.facility_id); END",
        f"CREATE TRIGGER analytics_snapshot_change_incident_update AFTER UPDATE OF {', '.join(INCIDENT_COLUMNS)}"
        f" ON {INCIDENT} WHEN {changed(INCIDENT_COLUMNS)}"
        f" BEGIN {insert} VALUES (OLD.occurred_at, OLD.facility_id), (NEW.occurred_at, NEW.facility_id); END",
        f"CREATE TRIGGER analytics_snapshot_change_incident_delete AFTER DELETE ON {INCIDENT}"
        f" BEGIN {insert} VALUES (OLD.occurred_at, OLD.facility_id); END",
        f"CREATE TRIGGER analytics_snapshot_change_victim_insert AFTER INSERT ON {VICTIM}"
        f" BEGIN {insert} {of_incident.format('NEW')}; END",
        f"CREATE TRIGGER analytics_snapshot_change_victim_update AFTER UPDATE OF {', '.join(VICTIM_COLUMNS)}"
        f" ON {VICTIM} WHEN {changed(VICTIM_COLUMNS)}"
        f" BEGIN {insert} {of_incident.format('OLD')}; {insert} {of_incident.format('NEW')}; END",
        f"CREATE TRIGGER analytics_snapshot_change_victim_delete AFTER DELETE ON {VICTIM}"
        f" BEGIN {insert} {of_incident.format('OLD')}; END",
    ]


def triggers_create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _postgresql_triggers, "sqlite": _sqlite_triggers}.get(vendor)
    if statements is None:  # pragma: no cover - the project runs on these two
        raise NotImplementedError(f"no snapshot change triggers for {vendor}")
    for statement in statements():
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor) -> None:
    for kind, table in (("incident", INCIDENT), ("victim", VICTIM)):
        for event in ("insert", "update", "delete", "truncate"):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS analytics_snapshot_change_{kind}_{event} ON {table}")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS analytics_snapshot_change_{kind}_{event}")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS analytics_snapshot_change_{kind}()")


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_snapshot_facility_without_db_constraint"),
        ("incidents", "0023_event_kinds_with_episodes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SnapshotChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("occurred_at", models.DateTimeField(null=True, verbose_name="when it happened")),
                ("facility_id", models.BigIntegerField(null=True, verbose_name="facility")),
            ],
            options={"verbose_name": "snapshot change", "verbose_name_plural": "snapshot changes"},
        ),
        # Empty: the rows there were counted before any change was logged, so the next refresh rebuilds them all.
        migrations.AddField(
            model_name="snapshot",
            name="rules",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="counting rules"),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
