"""Tie the reports kept before 0010 to their author where that is known: the owner of the draft they continue.

A kept report that continued no draft cannot be tied to anyone; it is never handed out and the daily purge
deletes it with the other unclaimed ones. Its own migration, as 0008: on PostgreSQL the updates leave deferred
foreign-key checks pending, and 0010's index may not be built after them in the same transaction.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    ReportDraft = apps.get_model("incidents", "ReportDraft")
    # Few rows: reports kept through an expired session and not yet claimed.
    for kept in ReportDraft.objects.filter(owner__isnull=True, resume_key__isnull=False, kept_for__isnull=True):
        owner_id = (
            ReportDraft.objects.filter(key=kept.resume_key, owner__isnull=False)
            .values_list("owner_id", flat=True)
            .first()
        )
        if owner_id is not None:
            ReportDraft.objects.filter(pk=kept.pk).update(kept_for_id=owner_id)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0010_kept_reports_tied_to_their_author"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
