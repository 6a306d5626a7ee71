"""Migration operations shared by the apps."""

from typing import Any

from django.db.migrations.operations import AddIndex


class AddIndexOnPostgreSQL(AddIndex):
    """AddIndex for an index only PostgreSQL has (trigram GIN): elsewhere the state changes and nothing is built.

    The queries it serves work the same without it (SQLite, the development database), only slower.
    """

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
