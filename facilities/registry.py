"""Reading a facility registry (CSV): every row is checked before anything is written.

Columns (header row required, comma- or semicolon-separated, UTF-8 with or without BOM):

    code         required  unique slug of the facility, e.g. ala-gkb-7 (letters, digits, - and _)
    name_ru      required  name in Russian
    name_kk      required  name in Kazakh
    name_en      required  name in English
    kind         required  multi_profile, children, perinatal, maternity, ambulance, polyclinic or other
    district     required  district code: alatau, almaly, auezov, bostandyk, zhetysu, medeu, nauryzbay, turksib
    address      optional  street address
    latitude     optional  decimal degrees, -90..90 (give both coordinates or neither)
    longitude    optional  decimal degrees, -180..180
    active       optional  yes/no (also true/false, 1/0, да/нет, иә/жоқ); blank means yes
    parent       optional  code of the parent facility (an ambulance substation's station), in the file or
                           already loaded
    is_sample    optional  yes/no; blank means no (a real registry)
    departments  optional  department kinds separated by ";": emergency, ward, icu, surgery, outpatient,
                           ambulance_crew, other

Rows are matched to existing facilities by `code`: a known code updates the facility, a new one creates it.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from common.messengers import validate_telegram_chat_id
from facilities.models import DepartmentKind, District, Facility, FacilityKind, PoliceDepartment, PolicePost

REQUIRED_COLUMNS = ("code", "name_ru", "name_kk", "name_en", "kind", "district")
OPTIONAL_COLUMNS = ("address", "latitude", "longitude", "active", "parent", "is_sample", "departments")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "да", "иә", "ия"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "нет", "жоқ"})
NAME_MAX_LENGTH = 255
CODE_MAX_LENGTH = 64
COORDINATE_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class FacilityRow:
    line: int
    code: str
    name_ru: str
    name_kk: str
    name_en: str
    kind: str
    district: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_active: bool = True
    parent: str = ""
    is_sample: bool = False
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class RegistryError(Exception):
    """The file has bad rows; `errors` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def parse_bool(value: str, *, default: bool) -> bool:
    word = value.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(value)


def _parse_coordinate(value: str, *, limit: int) -> Decimal | None:
    if not value.strip():
        return None
    number = Decimal(value.strip().replace(",", "."))
    if not number.is_finite() or abs(number) > limit:
        raise ValueError(value)
    return number.quantize(COORDINATE_PLACES)


def open_reader(stream: TextIO) -> csv.DictReader:
    text = stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def _check_header(
    fieldnames: Iterable[str] | None,
    *,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
    allowed: tuple[str, ...] = COLUMNS,
) -> list[RowError]:
    if not fieldnames:
        return [RowError(1, _("the file is empty: a header row is required"))]
    names = [name.strip() for name in fieldnames]
    errors = []
    missing = [name for name in required if name not in names]
    if missing:
        errors.append(RowError(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
    unknown = [name for name in names if name not in allowed]
    if unknown:
        errors.append(
            RowError(
                1,
                _("unknown columns: %(columns)s (allowed: %(allowed)s)")
                % {"columns": ", ".join(unknown), "allowed": ", ".join(allowed)},
            )
        )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        errors.append(RowError(1, _("repeated columns: %(columns)s") % {"columns": ", ".join(duplicated)}))
    return errors


def _row_and_code_problems(raw: dict[str, str], *, code: str) -> list[str]:
    """What every row of a registry file is checked for first, facilities and posts alike: its width and its code."""
    problems = []
    if None in raw:
        problems.append(_("more values than columns"))
    if not code:
        problems.append(_("code is empty"))
    elif len(code) > CODE_MAX_LENGTH or not CODE_RE.match(code):
        problems.append(
            _("code %(code)r may use only letters, digits, - and _ (at most %(max)s characters)")
            % {"code": code, "max": CODE_MAX_LENGTH}
        )
    return problems


def _parse_row(line: int, raw: dict[str, str], *, districts: set[str]) -> tuple[FacilityRow | None, list[str]]:
    value = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    problems = _row_and_code_problems(raw, code=value["code"])
    code = value["code"]
    for name in ("name_ru", "name_kk", "name_en"):
        if not value[name]:
            problems.append(_("%(column)s is empty") % {"column": name})
        elif len(value[name]) > NAME_MAX_LENGTH:
            problems.append(
                _("%(column)s is longer than %(max)s characters") % {"column": name, "max": NAME_MAX_LENGTH}
            )
    if len(value["address"]) > NAME_MAX_LENGTH:
        problems.append(_("address is longer than %(max)s characters") % {"max": NAME_MAX_LENGTH})
    if value["kind"] not in FacilityKind.values:
        problems.append(
            _("kind %(kind)r is not one of %(allowed)s")
            % {"kind": value["kind"], "allowed": ", ".join(FacilityKind.values)}
        )
    if value["district"] not in districts:
        problems.append(
            _("district %(district)r is not one of %(allowed)s")
            % {"district": value["district"], "allowed": ", ".join(sorted(districts)) or "—"}
        )
    coordinates = {}
    for name, limit in (("latitude", 90), ("longitude", 180)):
        try:
            coordinates[name] = _parse_coordinate(value[name], limit=limit)
        except (ValueError, InvalidOperation):
            problems.append(
                _("%(column)s %(value)r is not a number between -%(limit)s and %(limit)s")
                % {"column": name, "value": value[name], "limit": limit}
            )
    if len([v for v in (value["latitude"], value["longitude"]) if v]) == 1:
        problems.append(_("give both latitude and longitude, or neither"))
    flags = {}
    for name, default in (("active", True), ("is_sample", False)):
        try:
            flags[name] = parse_bool(value[name], default=default)
        except ValueError:
            problems.append(_("%(column)s %(value)r is not yes or no") % {"column": name, "value": value[name]})
    departments = tuple(dict.fromkeys(kind.strip() for kind in value["departments"].split(";") if kind.strip()))
    unknown_departments = [kind for kind in departments if kind not in DepartmentKind.values]
    if unknown_departments:
        problems.append(
            _("unknown department kinds: %(kinds)s (allowed: %(allowed)s)")
            % {"kinds": ", ".join(unknown_departments), "allowed": ", ".join(DepartmentKind.values)}
        )
    if value["parent"] and value["parent"] == code:
        problems.append(_("a facility cannot be its own parent"))
    if problems:
        return None, problems
    return FacilityRow(
        line=line,
        code=code,
        name_ru=value["name_ru"],
        name_kk=value["name_kk"],
        name_en=value["name_en"],
        kind=value["kind"],
        district=value["district"],
        address=value["address"],
        latitude=coordinates["latitude"],
        longitude=coordinates["longitude"],
        is_active=flags["active"],
        parent=value["parent"],
        is_sample=flags["is_sample"],
        departments=departments,
    ), []


def _check_parents(links: list[tuple[int, str, str]]) -> list[RowError]:
    """`links` holds (line, code, parent code) for every row of the file, valid or not."""
    parents = dict(Facility.objects.filter(parent__isnull=False).values_list("code", "parent__code"))
    known = set(Facility.objects.values_list("code", flat=True))
    for _line, code, parent in links:
        parents[code] = parent or None
        known.add(code)
    errors = []
    for line, code, parent in links:
        if not parent or parent == code:
            continue
        if parent not in known:
            errors.append(
                RowError(line, _("parent %(parent)r is neither in the file nor already loaded") % {"parent": parent})
            )
            continue
        seen, current = {code}, parent
        while current:
            if current in seen:
                errors.append(RowError(line, _("parent %(parent)r makes a cycle") % {"parent": parent}))
                break
            seen.add(current)
            current = parents.get(current)
    return errors


def read_facility_rows(stream: TextIO) -> list[FacilityRow]:
    """Every row of the registry, validated; raises RegistryError listing each bad row by line number."""
    reader = open_reader(stream)
    header_errors = _check_header(reader.fieldnames)
    if header_errors:
        raise RegistryError(header_errors)
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    districts = set(District.objects.values_list("code", flat=True))
    rows: list[FacilityRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    links: list[tuple[int, str, str]] = []
    for raw in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in raw.items() if k is not None):
            continue  # blank line
        row, problems = _parse_row(line, raw, districts=districts)
        code = (raw.get("code") or "").strip()
        links.append((line, code, (raw.get("parent") or "").strip()))
        if code and code in first_line_of:
            problems.append(_("code %(code)r repeats line %(first)s") % {"code": code, "first": first_line_of[code]})
            row = None
        elif code:
            first_line_of[code] = line
        errors.extend(RowError(line, problem) for problem in problems)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(1, _("the file has a header but no rows")))
    errors.extend(_check_parents(links))
    if errors:
        raise RegistryError(sorted(errors, key=lambda error: error.line))
    return rows


# The police posts file (`import_facilities --posts posts.csv`): one row per post, matched by `code`.
#   code              required  e.g. ALA-PP-07
#   facility          required  the facility's code, in the facilities file or already loaded
#   police_department required  the district police department's code, e.g. up-medeu
#   email             the address notices are e-mailed to; required for an active post
#   phone             optional, at most 32 characters
#   telegram_chat_id  optional, the post's Telegram group chat (-100…) where alarms are posted; a file without
#                     this column leaves the chat ids set in admin as they are
#   round_the_clock   yes/no, blank = yes
#   status            planned | active, blank = planned
#   opened_on         YYYY-MM-DD, optional
POST_REQUIRED_COLUMNS = ("code", "facility", "police_department")
POST_COLUMNS = POST_REQUIRED_COLUMNS + (
    "email",
    "phone",
    "telegram_chat_id",
    "round_the_clock",
    "status",
    "opened_on",
)
PHONE_MAX_LENGTH = 32


@dataclass(frozen=True)
class PostRow:
    line: int
    code: str
    facility: str
    police_department: str
    email: str = ""
    phone: str = ""
    # None when the file has no such column: the chat ids set in admin are then kept.
    telegram_chat_id: str | None = None
    round_the_clock: bool = True
    status: str = PolicePost.Status.PLANNED
    opened_on: dt.date | None = None


def _parse_post_row(
    line: int, raw: dict[str, str], *, facilities: set[str], departments: set[str]
) -> tuple[PostRow | None, list[str]]:
    value = {name: (raw.get(name) or "").strip() for name in POST_COLUMNS}
    problems = _row_and_code_problems(raw, code=value["code"])
    code = value["code"]
    if value["facility"] not in facilities:
        problems.append(
            _("facility %(facility)r is neither in the file nor already loaded") % {"facility": value["facility"]}
        )
    if value["police_department"] not in departments:
        problems.append(
            _("police department %(department)r is not one of %(allowed)s")
            % {"department": value["police_department"], "allowed": ", ".join(sorted(departments)) or "—"}
        )
    status = value["status"] or PolicePost.Status.PLANNED
    if status not in PolicePost.Status.values:
        problems.append(
            _("status %(status)r is not one of %(allowed)s")
            % {"status": status, "allowed": ", ".join(PolicePost.Status.values)}
        )
    if value["email"]:
        try:
            validate_email(value["email"])
        except ValidationError:
            problems.append(_("e-mail %(email)r is not an e-mail address") % {"email": value["email"]})
    elif status == PolicePost.Status.ACTIVE:
        problems.append(_("an active post needs an e-mail: its notices are sent there"))
    if len(value["phone"]) > PHONE_MAX_LENGTH:
        problems.append(_("phone is longer than %(max)s characters") % {"max": PHONE_MAX_LENGTH})
    try:
        validate_telegram_chat_id(value["telegram_chat_id"])
    except ValidationError:
        problems.append(
            _("telegram_chat_id %(value)r is not a Telegram chat id (a number, or @name)")
            % {"value": value["telegram_chat_id"]}
        )
    try:
        round_the_clock = parse_bool(value["round_the_clock"], default=True)
    except ValueError:
        problems.append(
            _("%(column)s %(value)r is not yes or no")
            % {"column": "round_the_clock", "value": value["round_the_clock"]}
        )
    opened_on = None
    if value["opened_on"]:
        try:
            opened_on = dt.date.fromisoformat(value["opened_on"])
        except ValueError:
            problems.append(_("opened_on %(value)r is not a date (YYYY-MM-DD)") % {"value": value["opened_on"]})
    if problems:
        return None, problems
    return PostRow(
        line=line,
        code=code,
        facility=value["facility"],
        police_department=value["police_department"],
        email=value["email"],
        phone=value["phone"],
        telegram_chat_id=value["telegram_chat_id"] if "telegram_chat_id" in raw else None,
        round_the_clock=round_the_clock,
        status=status,
        opened_on=opened_on,
    ), []


def read_post_rows(stream: TextIO, *, new_facilities: Iterable[str] = ()) -> list[PostRow]:
    """Every police post row, validated (facilities may come from the facilities file read with it); raises
    RegistryError listing each bad row by line number."""
    reader = open_reader(stream)
    header_errors = _check_header(reader.fieldnames, required=POST_REQUIRED_COLUMNS, allowed=POST_COLUMNS)
    if header_errors:
        raise RegistryError(header_errors)
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    facilities = set(Facility.objects.values_list("code", flat=True)) | set(new_facilities)
    departments = set(PoliceDepartment.objects.values_list("code", flat=True))
    rows: list[PostRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in raw.items() if k is not None):
            continue
        row, problems = _parse_post_row(line, raw, facilities=facilities, departments=departments)
        code = (raw.get("code") or "").strip()
        if code and code in first_line_of:
            problems.append(_("code %(code)r repeats line %(first)s") % {"code": code, "first": first_line_of[code]})
            row = None
        elif code:
            first_line_of[code] = line
        errors.extend(RowError(line, problem) for problem in problems)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(1, _("the file has a header but no rows")))
    if errors:
        raise RegistryError(sorted(errors, key=lambda error: error.line))
    return rows
