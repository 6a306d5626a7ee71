"""Writes to the reference data: the registry import and the demo set that `load_demo` loads.

Every write is an upsert by code that saves only what differs, so loading the same data twice changes nothing.
"""

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import FacilityMembership, PoliceDepartmentAssignment, PostAssignment, Role, User
from facilities.models import Department, District, Facility, PoliceDepartment, PolicePost
from facilities.registry import FacilityRow, PostRow, parse_bool, read_facility_rows

DATA_DIR = Path(__file__).resolve().parent / "data"
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class ReferenceDataError(Exception):
    """The bundled data files are inconsistent (a code that points at nothing, a bad value)."""


@dataclass
class LoadReport:
    """How many rows of each kind a load created, updated or left as they were."""

    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def count(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    @property
    def changed(self) -> int:
        return sum(n for (_kind, outcome), n in self.counts.items() if outcome != UNCHANGED)

    def lines(self) -> list[str]:
        kinds = list(dict.fromkeys(kind for kind, _outcome in self.counts))
        return [
            _("%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
            % {
                "kind": kind,
                "created": self.count(kind, CREATED),
                "updated": self.count(kind, UPDATED),
                "unchanged": self.count(kind, UNCHANGED),
            }
            for kind in kinds
        ]


def _upsert(model: type[models.Model], *, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, str]:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), CREATED
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, UNCHANGED
    for name in changed:
        setattr(obj, name, values[name])
    # A foreign key is given by its column (`facility_id`); other names ending in _id are fields of their own.
    field_of = {field.attname: field.name for field in model._meta.concrete_fields}
    update_fields = [field_of.get(name, name) for name in changed]
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)
    return obj, UPDATED


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(stream)]


@transaction.atomic
def facilities_import(*, rows: Sequence[FacilityRow], report: LoadReport | None = None) -> LoadReport:
    """Create or update facilities (and their departments) from validated registry rows, all or nothing."""
    report = report or LoadReport()
    districts = dict(District.objects.values_list("code", "pk"))
    facilities: dict[str, Facility] = {}
    outcomes: dict[str, str] = {}
    for row in rows:
        facility, outcome = _upsert(
            Facility,
            lookup={"code": row.code},
            values={
                "name_ru": row.name_ru,
                "name_kk": row.name_kk,
                "name_en": row.name_en,
                "kind": row.kind,
                "district_id": districts[row.district],
                "address": row.address,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "is_active": row.is_active,
                "is_sample": row.is_sample,
            },
        )
        facilities[row.code], outcomes[row.code] = facility, outcome
    # Parents second: a parent may come later in the file than its branches.
    parent_ids = dict(
        Facility.objects.filter(code__in={row.parent for row in rows if row.parent}).values_list("code", "pk")
    )
    for row in rows:
        parent_id = parent_ids[row.parent] if row.parent else None
        _facility, outcome = _upsert(Facility, lookup={"pk": facilities[row.code].pk}, values={"parent_id": parent_id})
        if outcome == UPDATED and outcomes[row.code] == UNCHANGED:
            outcomes[row.code] = UPDATED
        for kind in row.departments:
            _department, created = Department.objects.get_or_create(facility=facilities[row.code], kind=kind, name="")
            report.add("departments", CREATED if created else UNCHANGED)
    for outcome in outcomes.values():
        report.add("facilities", outcome)
    return report


@transaction.atomic
def posts_import(*, rows: Sequence[PostRow], report: LoadReport | None = None) -> LoadReport:
    """Create or update police posts, with their contacts, from validated rows, all or nothing."""
    report = report or LoadReport()
    facilities = dict(Facility.objects.filter(code__in={row.facility for row in rows}).values_list("code", "pk"))
    departments = dict(PoliceDepartment.objects.values_list("code", "pk"))
    for row in rows:
        _post, outcome = _upsert(
            PolicePost,
            lookup={"code": row.code},
            values={
                "facility_id": facilities[row.facility],
                "police_department_id": departments[row.police_department],
                "email": row.email,
                "phone": row.phone,
                "round_the_clock": row.round_the_clock,
                "status": row.status,
                "opened_on": row.opened_on,
            }
            | ({} if row.telegram_chat_id is None else {"telegram_chat_id": row.telegram_chat_id}),
        )
        report.add("police posts", outcome)
    return report


@transaction.atomic
def registry_import(*, facilities: Sequence[FacilityRow], posts: Sequence[PostRow]) -> LoadReport:
    """Facilities, then the police posts that may sit in them, in one transaction: everything or nothing."""
    report = facilities_import(rows=facilities)
    return posts_import(rows=posts, report=report)


def facilities_import_file(*, path: Path, report: LoadReport | None = None) -> LoadReport:
    """Validate a registry file completely, then import it; raises RegistryError and writes nothing if bad."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = read_facility_rows(stream)
    return facilities_import(rows=rows, report=report)


def _load_districts(report: LoadReport, data_dir: Path) -> None:
    for row in _read_csv(data_dir / "districts.csv"):
        _obj, outcome = _upsert(
            District,
            lookup={"code": row["code"]},
            values={"name_ru": row["name_ru"], "name_kk": row["name_kk"], "name_en": row["name_en"]},
        )
        report.add("districts", outcome)


def _load_police_departments(report: LoadReport, data_dir: Path) -> None:
    districts = dict(District.objects.values_list("code", "pk"))
    for row in _read_csv(data_dir / "police_departments.csv"):
        if row["district"] not in districts:
            raise ReferenceDataError(f"police department {row['code']}: unknown district {row['district']}")
        _obj, outcome = _upsert(
            PoliceDepartment,
            lookup={"code": row["code"]},
            values={
                "district_id": districts[row["district"]],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "name_en": row["name_en"],
            },
        )
        report.add("police departments", outcome)


def _load_police_posts(report: LoadReport, data_dir: Path) -> None:
    facilities = dict(Facility.objects.values_list("code", "pk"))
    departments = dict(PoliceDepartment.objects.values_list("code", "pk"))
    for row in _read_csv(data_dir / "police_posts.csv"):
        if row["facility"] not in facilities or row["police_department"] not in departments:
            raise ReferenceDataError(f"police post {row['code']}: unknown facility or police department")
        try:
            values = {
                "facility_id": facilities[row["facility"]],
                "police_department_id": departments[row["police_department"]],
                "phone": row["phone"],
                "round_the_clock": parse_bool(row["round_the_clock"], default=True),
                "status": PolicePost.Status(row["status"]),
                "opened_on": dt.date.fromisoformat(row["opened_on"]) if row["opened_on"] else None,
            }
        except ValueError as exc:
            raise ReferenceDataError(f"police post {row['code']}: {exc}") from exc
        _obj, outcome = _upsert(PolicePost, lookup={"code": row["code"]}, values=values)
        report.add("police posts", outcome)


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR, report: LoadReport | None = None) -> LoadReport:
    """Load Almaty's districts, police departments, demo facilities and police posts from the data files."""
    report = report or LoadReport()
    _load_districts(report, data_dir)
    _load_police_departments(report, data_dir)
    facilities_import_file(path=data_dir / "facilities.csv", report=report)
    _load_police_posts(report, data_dir)
    return report


def demo_account_specs(*, data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    return json.loads((data_dir / "demo_accounts.json").read_text(encoding="utf-8"))


def _link(report: LoadReport, kind: str, model: type[models.Model], **lookup: Any) -> None:
    _obj, created = model._default_manager.get_or_create(**lookup)
    report.add(kind, CREATED if created else UNCHANGED)


@transaction.atomic
def demo_accounts_load(
    *, password: str, specs: Iterable[dict[str, Any]] | None = None, report: LoadReport | None = None
) -> LoadReport:
    """Create or update one demo account per role, with its memberships; reference data must be loaded."""
    if not password:
        raise ReferenceDataError("a demo password is required")
    report = report or LoadReport()
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for spec in demo_account_specs() if specs is None else specs:
        user, outcome = _upsert(
            User,
            lookup={"username": spec["username"]},
            values={
                "first_name": spec.get("first_name", ""),
                "last_name": spec.get("last_name", ""),
                "middle_name": spec.get("middle_name", ""),
                "profession": spec.get("profession", ""),
                "email": f"{spec['username']}@demo.qorgau.example",
                "is_staff": spec.get("is_staff", False),
                "is_active": True,
                "is_superuser": False,
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            outcome = CREATED if outcome == CREATED else UPDATED
        report.add("demo accounts", outcome)
        missing = [groups[role] for role in spec["roles"] if groups[role] not in user.groups.all()]
        user.groups.add(*missing)
        for membership in spec.get("facilities", []):
            facility = Facility.objects.get(code=membership["facility"])
            department = (
                facility.departments.filter(kind=membership["department"]).order_by("pk").first()
                if membership.get("department")
                else None
            )
            _obj, outcome = _upsert(
                FacilityMembership,
                lookup={"user": user, "facility": facility},
                values={
                    "department_id": department.pk if department else None,
                    "is_lead": membership.get("is_lead", False),
                },
            )
            report.add("facility memberships", outcome)
        for code in spec.get("posts", []):
            _link(report, "post assignments", PostAssignment, user=user, post=PolicePost.objects.get(code=code))
        for code in spec.get("police_departments", []):
            _link(
                report,
                "police department assignments",
                PoliceDepartmentAssignment,
                user=user,
                police_department=PoliceDepartment.objects.get(code=code),
            )
    return report
