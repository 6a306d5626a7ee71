"""`manage.py load_demo`: Almaty's reference data and one demo account per role. Safe to run again."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import Role
from facilities.models import Department, Facility, PoliceDepartment, PolicePost
from facilities.registry import RegistryError
from facilities.services import (
    LoadReport,
    ReferenceDataError,
    demo_account_specs,
    demo_accounts_load,
    reference_data_load,
)

PASSWORD_VARIABLE = "QORGAU_DEMO_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Loads Almaty's 8 districts, their police departments, the demo facilities with 36 police posts, and "
        f"demo accounts for every role (password from ${PASSWORD_VARIABLE}). Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="Load the reference data only, without demo accounts."
        )
        parser.add_argument(
            "--list-accounts",
            action="store_true",
            help="Print one line per demo account (username, role, facility or post) and exit; "
            "passwords are never printed.",
        )

    def handle(self, *args, no_accounts=False, list_accounts=False, **options):
        if list_accounts:
            self.list_accounts()
            return
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not no_accounts and not password:
            raise CommandError(
                f"Set {PASSWORD_VARIABLE} to the demo accounts' password, "
                "or pass --no-accounts to load the reference data only."
            )
        report = LoadReport()
        try:
            reference_data_load(report=report)
            if not no_accounts:
                demo_accounts_load(password=password, report=report)
        except RegistryError as exc:
            raise CommandError(f"The bundled facilities.csv is invalid:\n{exc}") from exc
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data already up to date: nothing changed.")

    def list_accounts(self):
        roles = dict(Role.choices)
        for spec in demo_account_specs():
            places = [self.describe_membership(m) for m in spec.get("facilities", [])]
            places += [self.describe_post(code) for code in spec.get("posts", [])]
            places += [
                str(PoliceDepartment.objects.filter(code=code).first() or code)
                for code in spec.get("police_departments", [])
            ]
            role = ", ".join(str(roles[name]) for name in spec["roles"])
            self.stdout.write(f"{spec['username']:<17} {role:<40} {'; '.join(places) or '—'}")

    @staticmethod
    def describe_membership(membership: dict) -> str:
        facility = Facility.objects.filter(code=membership["facility"]).first()
        text = str(facility or membership["facility"])
        if facility and membership.get("department"):
            department = Department.objects.filter(Q(facility=facility), Q(kind=membership["department"])).first()
            text += f" / {department}" if department else ""
        return text

    @staticmethod
    def describe_post(code: str) -> str:
        post = PolicePost.objects.select_related("facility").filter(code=code).first()
        return str(post or code)
