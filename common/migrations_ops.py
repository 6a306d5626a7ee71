"""Migration operations shared by the apps."""

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently


class AddIndexOnPostgreSQL(AddIndexConcurrently):
    """An index only PostgreSQL has (trigram GIN) or needs (one for national-scale queries), built CONCURRENTLY;
    elsewhere the state changes, nothing is built.

    Concurrently, because these indexes go on the largest tables of a running system: a plain CREATE INDEX holds a
    lock that blocks every report and case action for as long as the build takes (minutes at a million incidents).
    Its migration must say `atomic = False`. The queries it serves work the same without it (SQLite, the
    development database), only slower.
    """

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
