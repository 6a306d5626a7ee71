"""Victims get a phone; victims and attackers a name search key (`common.names.name_key`), filled in here for
the names already stored; and the audit log of the officers' searches."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import common.phones
from common.names import name_key

BATCH = 2000


def fill_name_keys(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name in ("Victim", "Attacker"):
        model = apps.get_model("incidents", model_name)
        rows = model.objects.using(alias).exclude(full_name="").only("pk", "full_name").order_by("pk")
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            row.name_key = name_key(row.full_name)
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.using(alias).bulk_update(batch, ["name_key"])
                batch = []
        model.objects.using(alias).bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0015_event_withdrawn"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="victim",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="attacker",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="victim",
            name="phone",
            field=common.phones.PhoneNumberField(blank=True, max_length=32, verbose_name="phone"),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.CreateModel(
            name="CaseSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "searched_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="searched at"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("reference", "reference number"),
                            ("erdr", "ERDR number"),
                            ("name", "a person's name"),
                            ("iin", "IIN"),
                        ],
                        max_length=16,
                        verbose_name="searched by what",
                    ),
                ),
                ("query", models.CharField(blank=True, max_length=64, verbose_name="query")),
                (
                    "query_digest",
                    models.CharField(blank=True, db_index=True, max_length=64, verbose_name="query digest"),
                ),
                ("results", models.PositiveIntegerField(verbose_name="cases found")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="searched by",
                    ),
                ),
            ],
            options={
                "verbose_name": "case search",
                "verbose_name_plural": "case searches",
                "ordering": ["-searched_at", "-pk"],
                "indexes": [models.Index(fields=["user", "-searched_at"], name="case_search_user_recent")],
            },
        ),
    ]
