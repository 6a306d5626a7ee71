"""Small-cell suppression: no hidden figure can be worked out from the shown cells and the totals."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.suppression import PRIMARY, SECONDARY, Suppressor

T = 3


def possible_values(values: list[int], total: int, states: dict, threshold: int) -> dict[int, set[int]]:
    """Brute force: every assignment of the hidden cells that agrees with what is shown; values per cell.

    What a reader knows: shown cells exactly; a "<T" cell is 1..T-1; an "x" cell is at least T
    (anything smaller would have been "<T") and at most the total.
    """
    hidden = [i for i in range(len(values)) if i in states]
    shown_sum = sum(v for i, v in enumerate(values) if i not in states)
    ranges = [range(1, threshold) if states[i] == PRIMARY else range(threshold, total + 1) for i in hidden]
    possible: dict[int, set[int]] = {i: set() for i in hidden}
    for combination in itertools.product(*ranges):
        if shown_sum + sum(combination) == total:
            for i, value in zip(hidden, combination, strict=True):
                possible[i].add(value)
    return possible


def run_line(values: list[int], threshold: int = T) -> tuple[dict, bool]:
    suppressor = Suppressor(threshold)
    suppressor.add("total", sum(values))
    for i, value in enumerate(values):
        suppressor.add(i, value)
    suppressor.line("total", range(len(values)))
    states = suppressor.run()
    return {k: v for k, v in states.items() if k != "total"}, "total" in states


def test_cells_below_threshold_are_hidden_and_zero_is_shown():
    states, total_hidden = run_line([10, 0, 2, 7, 1])
    assert states[2] == PRIMARY and states[4] == PRIMARY
    assert 1 not in states and 0 not in states
    assert not total_hidden


def test_a_single_small_cell_is_protected_by_hiding_the_next_smallest():
    states, total_hidden = run_line([10, 1, 7, 20])
    assert states == {1: PRIMARY, 2: SECONDARY}
    assert not total_hidden
    assert possible_values([10, 1, 7, 20], 38, states, T)[1] == {1, 2}


def test_two_ones_are_not_enough_the_sum_would_give_them_away():
    states, total_hidden = run_line([1, 1, 30, 40])
    # 1 + 1 = 2 with both "<3": each must be 1. A third cell has to go.
    assert states == {0: PRIMARY, 1: PRIMARY, 2: SECONDARY}
    assert not total_hidden


def test_total_is_hidden_when_no_cell_is_left_to_hide():
    # 2 + 2 = 4, both "<3": each must be 2; there is nothing else to hide.
    states, total_hidden = run_line([2, 2, 0])
    assert total_hidden


def test_chain_hides_a_stage_that_differs_from_a_shown_one_by_less_than_threshold():
    suppressor = Suppressor(T)
    for key, value in (("reported", 40), ("acknowledged", 39), ("registered", 20), ("court", 19), ("closed", 5)):
        suppressor.add(key, value)
    suppressor.chain(["reported", "acknowledged", "registered", "court", "closed"])
    states = suppressor.run()
    assert states == {"acknowledged": SECONDARY, "court": SECONDARY}


def test_a_cell_hidden_in_one_line_is_hidden_in_the_others_and_they_are_rechecked():
    # Facilities f1..f4 in two districts; the district line must not give f1 away either.
    suppressor = Suppressor(T)
    values = {"f1": 1, "f2": 10, "f3": 4, "f4": 30}
    for key, value in values.items():
        suppressor.add(key, value)
    suppressor.add("north", 11)  # f1 + f2
    suppressor.add("south", 34)  # f3 + f4
    suppressor.add("all", 45)
    suppressor.line("all", ["f1", "f2", "f3", "f4"])
    suppressor.line("north", ["f1", "f2"])
    suppressor.line("south", ["f3", "f4"])
    states = suppressor.run()
    assert states["f1"] == PRIMARY
    # In "all", f3 (4) is the next smallest; in "north", f2 must go too, or 11 - 10 = 1.
    assert states["f2"] == SECONDARY
    assert "f3" in states  # the all-facilities line hid f3 first; "south" then needs f4 or its total hidden
    assert "f4" in states or "south" in states


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=6), st.integers(min_value=2, max_value=4))
def test_no_hidden_cell_can_be_derived_from_the_shown_cells_and_the_total(values, threshold):
    states, total_hidden = run_line(values, threshold)
    for i, value in enumerate(values):
        assert (i in states) == (0 < value < threshold) or states.get(i) == SECONDARY
    if total_hidden:
        return
    possible = possible_values(values, sum(values), states, threshold)
    for i in states:
        assert values[i] in possible[i]
        assert len(possible[i]) >= 2, (values, states, possible)


def test_a_total_hidden_in_one_line_is_not_given_away_by_another_line_that_shows_all_its_cells():
    # Two breakdowns of the same 4 incidents: 2 + 2 (both "<3", so the total must go), and 4 + 0.
    suppressor = Suppressor(T)
    for key, value in (("all", 4), ("a1", 2), ("a2", 2), ("b1", 4), ("b2", 0)):
        suppressor.add(key, value)
    suppressor.line("all", ["a1", "a2"])
    suppressor.line("all", ["b1", "b2"])
    states = suppressor.run()
    assert states["a1"] == states["a2"] == PRIMARY and "all" in states
    # Were b1 shown, the total would be 4 + 0 and each "<3" of line a exactly 2.
    assert "b1" in states


# --- The published tables together -----------------------------------------------------------------------


def _interval(cell, threshold: int, top: int) -> list[int]:
    # "x" is a count of at least T or, where only zeros were left to hide in a line that pins a cell, a zero.
    return list(range(1, threshold)) if cell.state == PRIMARY else [0, *range(threshold, top + 1)]


def _feasible_values(shown_sum: int, hidden: list, total: int, threshold: int) -> dict[int, set[int]] | None:
    """For one table whose rows add up to `total`: the values each hidden row can take, or None if none fit."""
    ranges = [_interval(cell, threshold, total) for cell in hidden]
    remainder = total - shown_sum
    lows, highs = sum(min(r) for r in ranges), sum(max(r) for r in ranges)
    if not lows <= remainder <= highs:
        return None
    possible = {}
    for index, r in enumerate(ranges):
        others_low, others_high = lows - min(r), highs - max(r)
        possible[index] = {v for v in r if others_low <= remainder - v <= others_high}
    return possible


def recoverable_cells(tables: list, total_cell, threshold: int, column: str, bound: int = 60) -> list[str]:
    """Hidden cells of `tables` (each adding up to the same total) that a reader can work out exactly,
    combining every table: the total is unknown only if it is hidden, and then must fit all tables at once."""
    if total_cell.state is None:
        totals = [total_cell.value]
    else:
        totals = list(_interval(total_cell, threshold, bound))
    possible: dict[tuple[str, str], set[int]] = {}
    feasible_totals = []
    for total in totals:
        per_table = {}
        for table in tables:
            cells = [(row.label, getattr(row, column)) for row in table.rows if not row.is_total]
            shown_sum = sum(cell.value for _label, cell in cells if cell.state is None)
            hidden = [(label, cell) for label, cell in cells if cell.state is not None]
            values = _feasible_values(shown_sum, [cell for _label, cell in hidden], total, threshold)
            if values is None:
                break
            per_table[table.key] = {(table.key, label): values[i] for i, (label, _cell) in enumerate(hidden)}
        else:
            feasible_totals.append(total)
            for found in per_table.values():
                for key, values in found.items():
                    possible.setdefault(key, set()).update(values)
    assert total_cell.value in feasible_totals  # the true figures always fit
    leaks = [f"{table}/{label}" for (table, label), values in possible.items() if len(values) < 2]
    if total_cell.state is not None and len(feasible_totals) < 2:
        leaks.append(f"total={feasible_totals}")
    return leaks


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["current", "previous"])
def test_no_hidden_cell_can_be_worked_out_by_combining_the_published_tables(known_data, column):
    from django.utils import translation

    from analytics.periods import Period
    from analytics.selectors.filters import Filters
    from analytics.selectors.statistics import statistics_for

    with translation.override("en"):
        stats = statistics_for(Filters(Period.parse("2025-07")))
    incident_tables = [stats.table(key) for key in ("part", "act", "place", "district", "kind", "facility")]
    for table in incident_tables:  # the premise: each table's rows add up to the incidents
        assert (
            sum(getattr(row, column).value for row in table.rows if not row.is_total)
            == getattr(stats.incidents, column).value
        ), table.key
    assert recoverable_cells(incident_tables, getattr(stats.incidents, column), stats.threshold, column) == []
    assert recoverable_cells([stats.table("profession")], getattr(stats.victims, column), stats.threshold, column) == []


# --- Fewest and smallest cells (issue 18) ----------------------------------------------------------------


def facilities_in_districts(values: dict, districts: dict) -> Suppressor:
    """Facilities (name: count) in districts (name: [facilities]): the city line, each district's line and
    the line of districts."""
    suppressor = Suppressor(T)
    for key, value in values.items():
        suppressor.add(key, value)
    suppressor.add("all", sum(values.values()))
    for district, members in districts.items():
        suppressor.add(district, sum(values[m] for m in members))
        suppressor.line(district, members)
    suppressor.line("all", list(values))
    suppressor.line("all", list(districts))
    return suppressor


def test_a_big_cell_is_not_hidden_when_a_smaller_complement_protects_as_well():
    # North: f1 = 1 and f3 = 12; South: f2 = 3 and f5 = 40. North's line needs f3 hidden with f1, and that
    # already protects the city line. Hiding the city's next smallest (f2 = 3) first, and then f5 = 40 to
    # protect f2 in South's line, hid two cells for nothing, one of them 40.
    values = {"f1": 1, "f2": 3, "f3": 12, "f5": 40}
    suppressor = facilities_in_districts(values, {"north": ["f1", "f3"], "south": ["f2", "f5"]})
    states = suppressor.run()
    assert {key for key in states if key in values} == {"f1", "f3"}
    assert suppressor.is_protected()


def _protected_with(suppressor: Suppressor, states: dict) -> bool:
    check = Suppressor(suppressor.threshold, dict(suppressor.values), dict(states), list(suppressor.lines))
    return check.is_protected()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=3, max_size=8),
    st.lists(st.integers(min_value=0, max_value=2), min_size=8, max_size=8),
)
def test_no_cell_of_10_or_more_is_hidden_when_a_smaller_complement_exists(counts, district_of):
    values = {f"f{i}": n for i, n in enumerate(counts)}
    districts: dict[str, list[str]] = {}
    for i, key in enumerate(values):
        districts.setdefault(f"d{district_of[i]}", []).append(key)
    suppressor = facilities_in_districts(values, districts)
    states = suppressor.run()
    assert _protected_with(suppressor, states)
    for key, state in states.items():
        if state != SECONDARY or suppressor.values[key] < 10:
            continue
        shown_again = {k: v for k, v in states.items() if k != key}
        assert not _protected_with(suppressor, shown_again), f"{key} is not needed"
        lines = [(total, cells) for total, cells in suppressor.lines if key == total or key in cells]
        smaller = {
            other
            for total, cells in lines
            for other in (total, *cells)
            if other not in states and 0 < suppressor.values[other] < suppressor.values[key]
        }
        for other in smaller:
            assert not _protected_with(suppressor, {**shown_again, other: SECONDARY}), (key, other, values)


# --- Lines across time, districts and kinds: every line at once (issue 10) --------------------------------


def city_over_a_quarter(facilities: list[tuple[str, str, list[int]]]) -> Suppressor:
    """Facilities (name, district, kind, three monthly counts) as the lattice sees them: per month and for the
    quarter, the city adds up its facilities, its districts and its kinds, each district and kind its
    facilities; and each line's quarter is its three months."""
    suppressor = Suppressor(T)
    districts = sorted({district for _name, district, _kind, _counts in facilities})
    kinds = sorted({kind for _name, _district, kind, _counts in facilities})
    windows = [0, 1, 2, "quarter"]

    def count(name: str, window) -> int:
        counts = next(c for n, _d, _k, c in facilities if n == name)
        return sum(counts) if window == "quarter" else counts[window]

    members = {("district", d): [n for n, dd, _k, _c in facilities if dd == d] for d in districts}
    members |= {("kind", k): [n for n, _d, kk, _c in facilities if kk == k] for k in kinds}
    members[("city",)] = [name for name, _d, _k, _c in facilities]
    for window in windows:
        for name, *_rest in facilities:
            suppressor.add(("facility", name, window), count(name, window))
        for group, names in members.items():
            suppressor.add((*group, window), sum(count(name, window) for name in names))
    for window in windows:
        for group, names in members.items():
            suppressor.line((*group, window), [("facility", name, window) for name in names])
        suppressor.line(("city", window), [("district", d, window) for d in districts])
        suppressor.line(("city", window), [("kind", k, window) for k in kinds])
    for line in [("facility", name) for name, *_rest in facilities] + list(members):
        suppressor.line((*line, "quarter"), [(*line, month) for month in range(3)])
    return suppressor


def recovered_by_solving(suppressor: Suppressor, states: dict) -> list:
    """The hidden cells that the shown cells and every line together determine: solved apart from the
    suppressor's own audit, with the attacker's solver (tests/analytics/attacker.py)."""
    from tests.analytics.attacker import PRIME, Span

    span = Span()
    for total, cells in suppressor.lines:
        vector = span.vector([total])
        for cell in cells:
            for column, value in span.vector([cell]).items():
                vector[column] = (vector.get(column, 0) - value) % PRIME
        span.add({c: v for c, v in vector.items() if v})
    for key in suppressor.values:
        if key not in states:
            span.add(span.vector([key]))
    return [key for key in states if span.determines(span.vector([key]))]


@pytest.mark.parametrize(
    "facilities",
    [
        # A city in which a cell whose own lines had nothing left to hide was pinned by lines of other months,
        # districts and kinds: the audit gave up after 50 rounds and the cell was published recoverable.
        [
            ("f0", "d0", "k1", [3, 1, 0]),
            ("f1", "d0", "k1", [1, 1, 4]),
            ("f2", "d1", "k0", [2, 0, 0]),
            ("f3", "d1", "k1", [3, 3, 6]),
            ("f4", "d0", "k1", [4, 0, 6]),
        ],
    ],
)
def test_a_cell_pinned_through_lines_other_than_its_own_is_protected(facilities):
    suppressor = city_over_a_quarter(facilities)
    states = suppressor.run()
    assert any(state == PRIMARY for state in states.values())  # the premise: something to protect
    assert recovered_by_solving(suppressor, states) == []
    assert suppressor.audit() == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["d0", "d1"]),
            st.sampled_from(["k0", "k1"]),
            st.lists(st.sampled_from([0, 0, 1, 1, 2, 3, 4, 6]), min_size=3, max_size=3),
        ),
        min_size=3,
        max_size=5,
    )
)
def test_no_cell_of_a_city_over_a_quarter_is_recovered_by_solving_every_line(rows):
    facilities = [(f"f{i}", district, kind, counts) for i, (district, kind, counts) in enumerate(rows)]
    suppressor = city_over_a_quarter(facilities)
    states = suppressor.run()
    assert recovered_by_solving(suppressor, states) == []
