"""Period differencing (issue 10): no hidden count is recovered by subtracting figures of overlapping periods.

The attacker (tests/analytics/attacker.py) takes every figure the dashboard publishes, which the PDF and the
CSV/XLSX exports publish too (they are made from the same `Statistics`), for every period the form offers, and
solves for the hidden ones.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from analytics.forms import StatisticsFilterForm
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import snapshot_refresh
from facilities.models import Facility, FacilityKind
from incidents.models import Incident
from tests.analytics.attacker import Attacker, Figure

pytestmark = pytest.mark.django_db

INCIDENT_TABLES = ("part", "act", "place", "kind", "district", "facility")


def offered_periods() -> list[str]:
    form = StatisticsFilterForm({})
    return [key for _title, options in form.fields["period"].choices for key, _label in options]


def window(period) -> tuple:
    return period.start, period.end


def publish_view(
    attacker: Attacker, period_key: str, facilities: list[str], scope: dict[str, str] | None = None
) -> None:
    """Every figure of one view (a period, and a district or a kind, or all of Almaty). A line is named by its scope
    (the filter's query), but a facility's by the facility alone: it is the same count whatever the filter."""
    scope = scope or {}
    name = "&".join(f"{k}={v}" for k, v in sorted(scope.items())) or "almaty"
    filters = StatisticsFilterForm({"period": period_key, **scope}).filters()
    assert (filters.district is not None) == ("district" in scope) and bool(filters.facility_kind) == (
        "facility_kind" in scope
    )
    stats = statistics_for(filters)
    columns = {"current": window(filters.period), "previous": window(filters.period.year_earlier())}
    where = f"{name} {filters.period.key}"
    for column, (start, end) in columns.items():
        attacker.publish((name, "incidents"), start, end, getattr(stats.incidents, column), where)
        attacker.publish((name, "victims"), start, end, getattr(stats.victims, column), where)
        attacker.publish((name, "cancelled"), start, end, getattr(stats.cancelled, column), where)
    for table in stats.tables:
        if table.key == "trend":
            for row, period in zip(table.rows, filters.period.trend(), strict=True):
                attacker.publish((name, "incidents"), *window(period), row.current, where)
                attacker.publish((name, "incidents"), *window(period.year_earlier()), row.previous, where)
            continue
        if table.key not in (*INCIDENT_TABLES, "profession", "funnel"):
            continue
        listed = set()
        for row in table.rows:
            if row.is_total:
                continue
            if (table.key, row.label) == ("funnel", "reported"):
                line = (name, "incidents")
            elif table.key == "facility":
                line = ("facility", row.label)
            else:
                line = (name, table.key, row.label)
            listed.add(row.label)
            for column, (start, end) in columns.items():
                attacker.publish(line, start, end, getattr(row, column), where)
        if table.key == "facility":
            # A facility of the scope not listed had no incident in either period: that is published too.
            for missing in set(facilities) - listed:
                for start, end in columns.values():
                    attacker.figures.append(Figure(("facility", missing), start, end, 0, False, where))


def scope_structure(attacker: Attacker, name: str, stats, facilities) -> None:
    """What every reader knows of one scope: breakdowns add up to their total; its incidents, and each of its
    districts and kinds, are sums of facilities."""
    for table in stats.tables:
        if table.key in ("part", "act", "place"):
            attacker.adds_up(
                (name, "incidents"), [(name, table.key, row.label) for row in table.rows if not row.is_total]
            )
    attacker.adds_up(
        (name, "victims"), [(name, "profession", row.label) for row in stats.table("profession").rows[:-1]]
    )
    attacker.adds_up((name, "incidents"), [("facility", f.name) for f in facilities])
    kinds = dict(FacilityKind.choices)
    for district in {f.district for f in facilities}:
        attacker.adds_up(
            (name, "district", district.name), [("facility", f.name) for f in facilities if f.district == district]
        )
    for kind in {f.kind for f in facilities}:
        attacker.adds_up((name, "kind", str(kinds[kind])), [("facility", f.name) for f in facilities if f.kind == kind])


def value_lines(stats) -> list[tuple]:
    """The lines every scope counts (beyond its facilities): Almaty's is the sum of the districts' and of the kinds'."""
    lines = [("incidents",), ("victims",), ("cancelled",)]
    for key in ("part", "act", "place", "profession", "funnel"):
        lines += [(key, row.label) for row in stats.table(key).rows if not row.is_total and row.label != "reported"]
    return lines


# The demo data are dated back from now, so each run meets other data. Besides today's, the test runs on the data
# of a moment that once gave a hidden figure away (CI, 28 November 2026: the audit gave up after 50 rounds on a
# cell pinned only through other months, districts and kinds).
CLOCKS = [None, "2026-11-28T16:22:30+00:00"]


@pytest.fixture(params=CLOCKS, ids=["today", "2026-11-28T16:22:30Z"])
def clock(request, monkeypatch):
    if request.param is None:
        return
    offset = dt.datetime.fromisoformat(request.param) - timezone.now()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)


@pytest.fixture
def seeded(db, clock):
    call_command("seed_demo", incidents=500, years=2, seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115
    snapshot_refresh()


def scopes_offered() -> list[dict[str, str]]:
    """All of Almaty, each district and each facility kind: what the form takes (one filter at a time)."""
    form = StatisticsFilterForm({})
    districts = [{"district": str(value)} for value, _label in form.fields["district"].choices if value]
    kinds = [{"facility_kind": value} for value, _label in form.fields["facility_kind"].choices if value]
    return [{}, *districts, *kinds]


def test_no_hidden_count_is_recovered_by_combining_every_period_and_filter_offered(seeded):
    """Issue 10: the attacker takes every figure of every period offered under every filter offered (all of Almaty,
    each district, each kind), and solves them together with what any reader knows of how they add up."""
    with translation.override("en"):
        periods = offered_periods()
        facilities = list(Facility.objects.select_related("district"))
        names = [facility.name for facility in facilities]
        assert len(set(names)) == len(names)
        attacker = Attacker()
        scopes = scopes_offered()
        assert len(scopes) > 10
        for scope in scopes:
            for key in periods:
                publish_view(attacker, key, [f.name for f in in_scope(facilities, scope)], scope)
        default = statistics_for(StatisticsFilterForm({}).filters())
        lines = value_lines(default)
        for scope in scopes:
            name = "&".join(f"{k}={v}" for k, v in sorted(scope.items())) or "almaty"
            scope_structure(
                attacker, name, statistics_for(StatisticsFilterForm(scope).filters()), in_scope(facilities, scope)
            )
        by_district = [("&".join(f"{k}={v}" for k, v in s.items())) for s in scopes if "district" in s]
        by_kind = [("&".join(f"{k}={v}" for k, v in s.items())) for s in scopes if "facility_kind" in s]
        for line in lines:
            attacker.adds_up(("almaty", *line), [(name, *line) for name in by_district])
            attacker.adds_up(("almaty", *line), [(name, *line) for name in by_kind])
            # Districts and kinds that share facilities only among themselves add up to the same figure too.
            counted = set(Incident.objects.values_list("facility_id", flat=True))
            for number, group in enumerate(facility_groups([f for f in facilities if f.pk in counted])):
                attacker.adds_up(("group", number, *line), [(f"district={d}", *line) for d in group[0]])
                attacker.adds_up(("group", number, *line), [(f"facility_kind={k}", *line) for k in group[1]])
    hidden = [figure for figure in attacker.figures if figure.hidden]
    assert len(periods) > 20 and len(hidden) > 50  # the premise: many periods, many hidden figures
    recovered = attacker.recovered()
    examples = [(f.where, f.line, f"{f.start:%Y-%m}..{f.end:%Y-%m}", f.value) for f in recovered[:10]]
    assert recovered == [], f"{len(recovered)} of {len(hidden)} hidden figures recovered, e.g. {examples}"


def in_scope(facilities: list, scope: dict[str, str]) -> list:
    if "district" in scope:
        return [f for f in facilities if str(f.district_id) == scope["district"]]
    if "facility_kind" in scope:
        return [f for f in facilities if f.kind == scope["facility_kind"]]
    return facilities


def facility_groups(facilities: list) -> list[tuple[set[int], set[str]]]:
    """The districts and kinds that share facilities (joined while any district or kind is in two groups)."""
    groups = [({f.district_id}, {f.kind}) for f in facilities]
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if groups[i][0] & groups[j][0] or groups[i][1] & groups[j][1]:
                    groups[i] = (groups[i][0] | groups[j][0], groups[i][1] | groups[j][1])
                    del groups[j]
                    merged = True
                    break
            if merged:
                break
    return groups


def test_no_heat_map_refusal_attacker_or_claim_count_is_recovered_across_the_filters(seeded):
    """Issue 10: the details (a whole year's heat map, refusals by part, attackers, civil claims) of all of Almaty,
    each district and each kind, taken together with how they add up (Almaty's cell is the sum of the districts' and
    of the kinds'), give no hidden figure away."""
    with translation.override("en"):
        year = StatisticsFilterForm({}).filters().period
        from analytics.selectors.details import details_year

        year = details_year(year)
        attacker = Attacker()
        scopes = scopes_offered()
        keys: set[tuple] = set()
        names = []
        for scope in scopes:
            name = "&".join(f"{k}={v}" for k, v in sorted(scope.items())) or "almaty"
            names.append(name)
            stats = statistics_for(StatisticsFilterForm({"period": year.key, **scope}).filters())
            details = stats.details
            assert details.year == year
            current, previous = window(year), window(year.year_earlier())

            def publish(key: tuple, cell, span=current, name=name) -> None:
                keys.add((key, span))
                attacker.publish((name, *key), *span, cell, f"{name} details")

            for (day, hour), cell in details.heat.items():
                publish(("heat", day, hour), cell)
            for day, cell in details.heat_days.items():
                publish(("heat-day", day), cell)
                attacker.adds_up((name, "heat-day", day), [(name, "heat", day, hour) for hour in range(24)])
            for hour, cell in details.heat_hours.items():
                publish(("heat-hour", hour), cell)
                attacker.adds_up((name, "heat-hour", hour), [(name, "heat", day, hour) for day in range(1, 8)])
            publish(("incidents",), details.heat_total)  # the year's incidents, as the tables publish them
            publish(("incidents",), stats.incidents.current)
            attacker.adds_up((name, "incidents"), [(name, "heat-day", day) for day in range(1, 8)])
            for outcome, _label, parts, total in details.refusals:
                publish(("refusal-total", outcome), total)
                for label, cell in parts:
                    publish(("refusal", outcome, label), cell)
                attacker.adds_up(
                    (name, "refusal-total", outcome), [(name, "refusal", outcome, label) for label, _c in parts]
                )
            for stage in details.compensation.stages:  # the victims' claims, whose stages nest
                publish(("claims", stage.key), stage.count)
            for table in (stats.table("attacker"), stats.table("intoxication")):
                rows = [row for row in table.rows if not row.is_total]
                for column, span in (("current", current), ("previous", previous)):
                    publish(("attackers",), getattr(table.rows[-1], column), span)
                    for row in rows:
                        publish((table.key, row.label), getattr(row, column), span)
                attacker.adds_up((name, "attackers"), [(name, table.key, row.label) for row in rows])
        by_district = [n for n in names if n.startswith("district=")]
        by_kind = [n for n in names if n.startswith("facility_kind=")]
        facilities = list(Facility.objects.all())
        counted = set(Incident.objects.values_list("facility_id", flat=True))
        groups = facility_groups([f for f in facilities if f.pk in counted])
        for key in {key for key, _span in keys}:
            attacker.adds_up(("almaty", *key), [(n, *key) for n in by_district])
            attacker.adds_up(("almaty", *key), [(n, *key) for n in by_kind])
            for number, group in enumerate(groups):
                attacker.adds_up(("group", number, *key), [(f"district={d}", *key) for d in group[0]])
                attacker.adds_up(("group", number, *key), [(f"facility_kind={k}", *key) for k in group[1]])
    hidden = [figure for figure in attacker.figures if figure.hidden]
    assert len(hidden) > 50  # the premise
    assert any(figure.line[1] == "claims" for figure in hidden)  # the premise for the claims
    recovered = attacker.recovered()
    examples = [(f.where, f.line, f.value) for f in recovered[:10]]
    assert recovered == [], f"{len(recovered)} of {len(hidden)} hidden figures recovered, e.g. {examples}"
