"""Incident.procedure and Incident.due_at: the case's deadline stored, so lists query a column (0008 fills them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0006_inbox_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="procedure",
            field=models.CharField(
                blank=True,
                choices=[("inquiry", "inquiry"), ("preliminary_investigation", "preliminary investigation")],
                max_length=32,
                verbose_name="procedure",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="due at"),
        ),
        # The overdue count reads `due_at` instead of the dates it was computed from.
        migrations.RemoveIndex(model_name="incident", name="incident_post_inbox"),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["police_post", "status", "-submitted_at"],
                include=("due_at", "legal_part", "reference", "id"),
                name="incident_post_inbox",
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                condition=models.Q(due_at__isnull=False), fields=["police_post", "due_at"], name="incident_post_due"
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(condition=models.Q(due_at__isnull=False), fields=["due_at"], name="incident_due"),
        ),
    ]
