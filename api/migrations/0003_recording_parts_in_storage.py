"""A recording's parts move from the database (a bytea per part) to files in the media storage."""

from django.core.files.base import ContentFile
from django.db import migrations, models

import api.models


def parts_to_storage(apps, schema_editor):
    RecordingChunk = apps.get_model("api", "RecordingChunk")
    for part in RecordingChunk.objects.filter(file="").iterator():
        data = bytes(part.data)
        part.size = len(data)
        part.file.save(str(part.start), ContentFile(data), save=False)
        part.save(update_fields=["size", "file"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_recordings"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordingchunk",
            name="size",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="recordingchunk",
            name="file",
            field=models.FileField(default="", max_length=255, upload_to=api.models.recording_part_upload_to),
            preserve_default=False,
        ),
        migrations.RunPython(parts_to_storage, migrations.RunPython.noop),
        migrations.RemoveField(model_name="recordingchunk", name="data"),
    ]
