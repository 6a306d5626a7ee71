"""Every figure of every period offered, for one scope (all of Almaty, a district, a kind, a lead's facilities),
suppressed together in one run, so that no two periods can be subtracted to give a hidden cell away.

The periods are the lattice of `analytics.periods`: the whole months, quarters and years, and each year's first
quarters (the year not over yet, and the same quarters a year earlier). A cell is one line (the incidents, a
part, a facility...) over one window of months, keyed by the window, so a quarter and the same three months
reached another way are one cell. Its lines are those of the tables (a breakdown adds up to its total, the
facilities to their district and kind, the funnel is a chain) and those of time (a quarter is its three
months, a year its four quarters, a year's first quarters the ones before and the next). The suppressed cells
are computed once per snapshot and scope, and cached (`lattice_for`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, Sum

from analytics.models import MonthlyCount, Snapshot
from analytics.periods import Period, add_months, published_before
from analytics.selectors.categories import act_labels, part_labels, place_labels, profession_group, profession_labels
from analytics.selectors.filters import Filters
from analytics.snapshot import STAGES, snapshot_stamp
from analytics.suppression import Suppressor
from facilities.models import District, Facility, FacilityKind

Window = tuple[dt.date, dt.date]  # first month, first month after
Line = tuple[str, object]  # (dimension, value): ("incidents", ""), ("part", "1"), ("facility", 12)...
INCIDENTS: Line = ("incidents", "")
VICTIMS: Line = ("victims", "")
CANCELLED: Line = ("cancelled", "")
CACHE_SECONDS = 24 * 3600


def window(period: Period) -> Window:
    return period.start, period.end


def lattice_windows(first: dt.date, before: dt.date) -> tuple[list[Window], list[tuple[Window, list[Window]]]]:
    """The windows published from the year of `first` up to `before`, and the time lines between them."""
    windows: set[Window] = set()
    lines: list[tuple[Window, list[Window]]] = []
    for year in range(first.year, before.year + 1):
        start = dt.date(year, 1, 1)
        months = [(add_months(start, i), add_months(start, i + 1)) for i in range(12)]
        months = [month for month in months if month[1] <= before]
        windows.update(months)
        quarters = []
        for q in range(4):
            quarter = (add_months(start, 3 * q), add_months(start, 3 * q + 3))
            if quarter[1] <= before:
                windows.add(quarter)
                quarters.append(quarter)
                lines.append((quarter, months[3 * q : 3 * q + 3]))
        # A year's first quarters: each is the one before and the next quarter (the last one is the year).
        for q in range(1, len(quarters)):
            so_far = (start, quarters[q][1])
            windows.add(so_far)
            lines.append((so_far, [(start, quarters[q - 1][1]), quarters[q]]))
        if len(quarters) == 4:
            lines.append(((start, add_months(start, 12)), quarters))
    return sorted(windows), lines


@dataclass
class Lattice:
    """The suppressed cells of a scope: values and states by (dimension, value, first month, month after)."""

    threshold: int
    values: dict[tuple, int]
    states: dict[tuple, str]
    facility_ids: list[int]  # the scope's facilities with any incident
    district_ids: list[int]
    kinds: list[str]

    def value(self, line: Line, period: Period) -> int:
        return self.values.get((*line, *window(period)), 0)

    def state(self, line: Line, period: Period) -> str | None:
        return self.states.get((*line, *window(period)))


FacilityMonths = dict[int, dict[Line, dict[dt.date, int]]]  # facility -> line -> month -> count
Scope = tuple[int | None, str]  # a public scope: (district pk, "") or (None, facility kind) or (None, "") for Almaty


def facility_months(facility_q: Q, before: dt.date) -> tuple[FacilityMonths, dict[int, Facility]]:
    """Per facility and line, the count of each month before `before`, from the snapshot (one query)."""
    rows = (
        MonthlyCount.objects.filter(facility_q, month__lt=before)
        .values_list("month", "facility_id", "dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    months: FacilityMonths = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for month, facility_id, dimension, value, n in rows:
        lines = months[facility_id]
        if dimension == "profession":
            lines[("profession", profession_group(value))][month] += n
            lines[VICTIMS][month] += n
        elif dimension == "incidents":
            lines[INCIDENTS][month] += n
        else:
            lines[(dimension, value)][month] += n
    return months, {f.pk: f for f in Facility.objects.filter(pk__in=list(months))}


def value_lines() -> list[Line]:
    """The lines counted in every scope (not the facility, district and kind lines, which are facilities' sums)."""
    return [
        INCIDENTS,
        VICTIMS,
        CANCELLED,
        *[("stage", stage) for stage in STAGES],
        *[("part", value) for value, _label in part_labels()],
        *[("act", value) for value, _label in act_labels()],
        *[("place", value) for value, _label in place_labels()],
        *[("profession", value) for value, _label in profession_labels()],
    ]


class _Cells:
    """Every figure of a set of scopes registered with one suppressor, each under one key however it is reached.

    A scope is the set of its facilities: a district whose facilities are all of one kind and that kind are one
    scope; a district's count of one kind is the scope of their common facilities; a scope of one facility counts
    its incidents in that facility's cell. So a figure that two tables (or two filters) publish is one cell, hidden
    in both or shown in both."""

    def __init__(self, months: FacilityMonths, facilities: dict[int, Facility], before: dt.date, threshold: int):
        self.months = months
        self.facilities = facilities
        first = min((m for lines in months.values() for c in lines.values() for m in c), default=None)
        self.windows, self.time_lines = lattice_windows(first or add_months(before, -1), before)
        self.suppressor = Suppressor(threshold)
        self.suppressor.add(ZERO, 0)
        self._ids: dict[frozenset[int], int] = {}
        self._registered: set[tuple[frozenset[int], Line]] = set()
        # Each district's and kind's facilities, read for every district and kind line of every window.
        districts, kinds = defaultdict(set), defaultdict(set)
        for facility in facilities.values():
            districts[facility.district_id].add(facility.pk)
            kinds[facility.kind].add(facility.pk)
        self._districts = {pk: frozenset(members) for pk, members in districts.items()}
        self._kinds = {kind: frozenset(members) for kind, members in kinds.items()}

    def of_district(self, pk: int) -> frozenset[int]:
        return self._districts.get(pk, frozenset())

    def of_kind(self, kind: str) -> frozenset[int]:
        return self._kinds.get(kind, frozenset())

    def key(self, scope: frozenset[int], line: Line, window: Window) -> tuple:
        if line[0] == "facility":
            return (*line, *window)
        if line[0] == "district":
            return self.key(scope & self.of_district(line[1]), INCIDENTS, window)  # type: ignore[arg-type]
        if line[0] == "kind":
            return self.key(scope & self.of_kind(line[1]), INCIDENTS, window)  # type: ignore[arg-type]
        if not scope:
            return ZERO
        if line == INCIDENTS and len(scope) == 1:
            return ("facility", next(iter(scope)), *window)
        number = self._ids.setdefault(scope, len(self._ids))
        return (number, *line, *window)

    def register(self, scope: frozenset[int], line: Line, *, published: bool = True) -> None:
        """Add the line's cell of every window (the months summed over the scope's facilities), and its time lines."""
        registered = (frozenset() if line[0] == "facility" else scope, line)  # a facility's cell is every scope's
        if registered in self._registered:
            return
        self._registered.add(registered)
        if line[0] == "facility":
            months = self.months.get(line[1], {}).get(INCIDENTS, {})  # type: ignore[call-overload]
        else:
            months = defaultdict(int)
            for facility in scope:
                for month, n in self.months.get(facility, {}).get(line, {}).items():
                    months[month] += n
        for window in self.windows:
            key = self.key(scope, line, window)
            if key is ZERO:
                continue
            value = sum(n for month, n in months.items() if window[0] <= month < window[1])
            if published:
                self.suppressor.add(key, value)
            else:
                self.suppressor.unpublished(key, value)
        for total, parts in self.time_lines:
            self.line(self.key(scope, line, total), [self.key(scope, line, part) for part in parts])

    def register_all(self, scope: frozenset[int], *, published: bool) -> None:
        for line in value_lines():
            self.register(scope, line, published=published)

    def line(self, total: tuple, cells: list[tuple]) -> None:
        cells = [cell for cell in cells if cell is not ZERO]
        # A total that is its only cell (a district of one facility) is no line.
        if total is not ZERO and cells != [total]:
            self.suppressor.line(total, cells)

    def add_scope(self, scope: frozenset[int], district_ids: list[int], kinds: list[str]) -> list[Line]:
        """A scope's figures and the lines of its tables; returns the lines it publishes."""
        facility_lines: list[Line] = [("facility", pk) for pk in sorted(scope)]
        lines = [
            *value_lines(),
            *[("district", pk) for pk in district_ids],
            *[("kind", kind) for kind in kinds],
            *facility_lines,
        ]
        for line in lines:
            if line[0] == "district":
                self._register_sum(scope & self.of_district(line[1]))  # type: ignore[arg-type]
            elif line[0] == "kind":
                self._register_sum(scope & self.of_kind(line[1]))  # type: ignore[arg-type]
            else:
                self.register(scope, line)
        self._register_sum(scope)
        breakdowns: list[tuple[Line, list[Line]]] = [
            (INCIDENTS, [("part", value) for value, _label in part_labels()]),
            (INCIDENTS, [("act", value) for value, _label in act_labels()]),
            (INCIDENTS, [("place", value) for value, _label in place_labels()]),
            (VICTIMS, [("profession", value) for value, _label in profession_labels()]),
            (INCIDENTS, [("district", pk) for pk in district_ids]),
            (INCIDENTS, [("kind", kind) for kind in kinds]),
        ]
        stages = [("stage", stage) for stage in STAGES]
        for window in self.windows:
            for total, cells in breakdowns:
                self.line(self.key(scope, total, window), [self.key(scope, cell, window) for cell in cells])
            self.suppressor.chain([self.key(scope, line, window) for line in (INCIDENTS, *stages)])
        return lines

    def _register_sum(self, scope: frozenset[int]) -> None:
        """A set of facilities' incidents, and the line that makes them the sum of its facilities' cells."""
        if not scope:
            return
        for pk in sorted(scope):
            self.register(scope, ("facility", pk))
        self.register(scope, INCIDENTS)
        for window in self.windows:
            self.line(self.key(scope, INCIDENTS, window), [("facility", pk, *window) for pk in sorted(scope)])

    def lattice(self, scope: frozenset[int], lines: list[Line], district_ids: list[int], kinds: list[str]) -> Lattice:
        """The scope's figures as its tables read them, after the run."""
        values, states = {}, {}
        for line in lines:
            for window in self.windows:
                key = self.key(scope, line, window)
                if value := self.suppressor.values[key]:
                    values[(*line, *window)] = value
                if state := self.suppressor.states.get(key):
                    states[(*line, *window)] = state
        facility_ids = sorted(pk for pk in scope if self.months.get(pk))
        return Lattice(self.suppressor.threshold, values, states, facility_ids, district_ids, kinds)


ZERO = ("zero",)  # the cell of a scope without facilities: 0 in every window


def build_lattice(filters: Filters, threshold: int, today: dt.date | None = None) -> Lattice:
    """A facility lead's scope (her own facilities) on its own: every figure of every window, one suppressor."""
    before = published_before(today)
    months, facilities = facility_months(filters.facility_q(), before)
    cells = _Cells(months, facilities, before, threshold)
    district_ids = sorted({f.district_id for f in facilities.values()})
    kinds = [k for k, _l in FacilityKind.choices]
    scope = frozenset(facilities)
    lines = cells.add_scope(scope, district_ids, kinds)
    cells.suppressor.run()
    return cells.lattice(scope, lines, district_ids, kinds)


def build_public_lattices(threshold: int, today: dt.date | None = None) -> dict[Scope, Lattice]:
    """All of Almaty, each district and each facility kind, suppressed in one run (issue 10): the filters are
    published from one table, so no figure of one filter can be subtracted from another's to give a hidden cell
    away.

    Besides each scope's own lines (lattice_windows, the tables' breakdowns), a count of Almaty is the sum of the
    districts' and the sum of the kinds'. A district's count of one kind is published only as incidents (the
    district's table of kinds): the breakdowns by part, act, place, profession and stage are not published for a
    district and a kind together (the filters take one or the other), so those counts are nobody's cells. The
    districts and kinds of one group that share no facility with the rest (a district whose facilities are all of
    kinds found nowhere else) add up to the same figure: that sum, published by nobody, is registered as such.
    """
    before = published_before(today)
    months, facilities = facility_months(Q(), before)
    cells = _Cells(months, facilities, before, threshold)
    district_ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    kinds = [k for k, _l in FacilityKind.choices]
    everything = frozenset(facilities)
    scopes: dict[Scope, frozenset[int]] = {(None, ""): everything}
    scopes.update({(pk, ""): cells.of_district(pk) for pk in district_ids})
    scopes.update({(None, kind): cells.of_kind(kind) for kind in kinds})
    lines_of: dict[Scope, list[Line]] = {}
    for scope, members in scopes.items():
        if members:
            lines_of[scope] = cells.add_scope(members, *_tables_of(scope, district_ids, kinds))
    groups = [
        frozenset(pk for pk in facilities if (facilities[pk].district_id, facilities[pk].kind) in pairs)
        for pairs in scope_groups(facilities.values())
    ]
    for members in groups:
        cells.register_all(members, published=members in scopes.values())
        by_district = {facilities[pk].district_id for pk in members}
        by_kind = {facilities[pk].kind for pk in members}
        for line in value_lines():
            for window in cells.windows:
                total = cells.key(members, line, window)
                cells.line(total, [cells.key(cells.of_district(pk), line, window) for pk in sorted(by_district)])
                cells.line(total, [cells.key(cells.of_kind(kind), line, window) for kind in sorted(by_kind)])
                if len(groups) > 1:
                    cells.line(
                        cells.key(everything, line, window), [cells.key(group, line, window) for group in groups]
                    )
    cells.suppressor.run()
    return {
        scope: (
            cells.lattice(members, lines_of[scope], *_tables_of(scope, district_ids, kinds))
            if members
            else Lattice(threshold, {}, {}, [], *_tables_of(scope, district_ids, kinds))
        )
        for scope, members in scopes.items()
    }


def _tables_of(scope: Scope, district_ids: list[int], kinds: list[str]) -> tuple[list[int], list[str]]:
    """The districts and kinds a public scope's tables list."""
    district, kind = scope
    return ([district] if district else district_ids), ([kind] if kind else kinds)


def scope_groups(facilities: Iterable[Facility]) -> list[set[tuple[int, str]]]:
    """The (district, kind) pairs that have facilities, grouped so that two pairs sharing a district or a kind are
    in one group (the connected parts of the graph of districts and kinds): each group's districts and its kinds add
    up to the same facilities."""
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    pairs = {(f.district_id, f.kind) for f in facilities}
    for district, kind in pairs:
        parent[find(("district", district))] = find(("kind", kind))
    groups: dict[object, set[tuple[int, str]]] = defaultdict(set)
    for district, kind in pairs:
        groups[find(("kind", kind))].add((district, kind))
    return sorted(groups.values(), key=lambda group: sorted(group))


def public_lattices(period: Period, threshold: int, snapshot: Snapshot | None) -> dict[Scope, Lattice]:
    """Every public scope's lattice: read from the cache together, computed together (one run) if any is missing."""
    snapshot = snapshot or Snapshot.objects.filter(pk=1).first()
    districts = [None, *District.objects.order_by("pk")]
    filters = {
        public_scope(f): f
        for f in [
            *[Filters(period=period, district=district) for district in districts],
            *[Filters(period=period, facility_kind=kind) for kind, _label in FacilityKind.choices],
        ]
    }
    keys = {scope: cache_key(f, threshold, snapshot) for scope, f in filters.items()}
    found = cache.get_many(list(keys.values()))
    if all(key in found for key in keys.values()):
        return {scope: found[key] for scope, key in keys.items()}
    lattices = build_public_lattices(threshold)
    cache.set_many({keys[scope]: lattices[scope] for scope in keys if scope in lattices}, CACHE_SECONDS)
    return lattices


def public_scope(filters: Filters) -> Scope:
    if filters.district is not None and filters.facility_kind:
        raise ValueError("Statistics are published for a district or a facility kind, not both.")
    return (filters.district.pk if filters.district else None, filters.facility_kind)


def scope_key(filters: Filters, threshold: int, snapshot: Snapshot | None) -> str:
    """What the lattice of a scope is computed from: the snapshot, the month under way, the threshold, the scope."""
    scope = (
        filters.district.pk if filters.district else "",
        filters.facility_kind,
        ",".join(map(str, sorted(filters.own_facility_ids))) if filters.own_facility_ids is not None else "all",
    )
    return f"{snapshot_stamp(snapshot)}:{published_before()}:{threshold}:{':'.join(map(str, scope))}"


def cache_key(filters: Filters, threshold: int, snapshot: Snapshot | None) -> str:
    return f"analytics:lattice:{scope_key(filters, threshold, snapshot)}"


def lattice_for(filters: Filters, threshold: int, snapshot: Snapshot | None) -> Lattice:
    """The scope's suppressed cells for this snapshot: computed once, then read from the cache. The public scopes
    (Almaty, a district, a kind) are computed together and cached together."""
    # Without the snapshot named, the current one: the cache key must change whenever the counts do.
    snapshot = snapshot or Snapshot.objects.filter(pk=1).first()
    key = cache_key(filters, threshold, snapshot)
    lattice = cache.get(key)
    if lattice is not None:
        return lattice
    if filters.own_facility_ids is not None:
        lattice = build_lattice(filters, threshold)
        cache.set(key, lattice, CACHE_SECONDS)
        return lattice
    return public_lattices(filters.period, threshold, snapshot)[public_scope(filters)]
