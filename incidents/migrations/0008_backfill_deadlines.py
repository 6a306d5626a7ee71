"""Backfill Incident.procedure and Incident.due_at (added by 0007) for every existing row.

They are computed with the pure functions of `incidents.services.deadlines` (the same ones the services use),
reading only this migration's historical rows: the row's status and dates, its effective part and its newest
legal assessment. Should those functions ever change shape, freeze a copy of today's here. Its own migration:
on PostgreSQL the updates leave deferred foreign-key checks pending, and no index may be built after them in
the same transaction.
"""

from django.db import migrations

from incidents.services.deadlines import deadline_of

BATCH = 2000


def backfill(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    LegalAssessment = apps.get_model("legal", "LegalAssessment")
    rows = Incident.objects.only(
        "pk", "status", "legal_part", "submitted_at", "acknowledged_at", "erdr_registered_on"
    ).order_by("pk")
    last_pk = 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        current = {}
        for assessment in LegalAssessment.objects.filter(incident_id__in=[row.pk for row in batch]).only(
            "incident_id", "sequence", "part", "result", "facts"
        ):
            if assessment.incident_id not in current or assessment.sequence > current[assessment.incident_id].sequence:
                current[assessment.incident_id] = assessment
        by_procedure, with_due = {}, []
        for row in batch:
            row.procedure, row.due_at = deadline_of(incident=row, assessment=current.get(row.pk))
            if row.procedure:
                by_procedure.setdefault(row.procedure, []).append(row.pk)
            if row.due_at is not None:
                with_due.append(row)
        # One UPDATE per procedure; the dates only of the cases that have one.
        for procedure, pks in by_procedure.items():
            Incident.objects.filter(pk__in=pks).update(procedure=procedure)
        Incident.objects.bulk_update(with_due, ["due_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_stored_deadline"),
        ("legal", "0002_legalassessment_changed_facts_and_more"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
