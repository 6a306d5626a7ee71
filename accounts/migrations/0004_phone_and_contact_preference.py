"""Profiles: the phone number kept in one form (+7 and ten digits), and the reporter's "contact me only through
Qorgau". Numbers already typed are brought to that form where they can be; others are left as they are."""

from django.core.exceptions import ValidationError
from django.db import migrations, models

import common.phones


def normalise_phones(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    alias = schema_editor.connection.alias
    for user in User.objects.using(alias).exclude(phone="").only("pk", "phone").iterator():
        try:
            phone = common.phones.normalise_phone(user.phone)
        except ValidationError:
            continue
        if phone != user.phone:
            User.objects.using(alias).filter(pk=user.pk).update(phone=phone)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_administrators_without_case_work")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="contact_only_through_qorgau",
            field=models.BooleanField(
                default=False,
                help_text="The police then ask their questions in Qorgau instead of calling.",
                verbose_name="contact me only through Qorgau",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=common.phones.PhoneNumberField(
                blank=True, help_text="For example +7 701 123 45 67.", max_length=32, verbose_name="phone"
            ),
        ),
        migrations.RunPython(normalise_phones, migrations.RunPython.noop),
    ]
