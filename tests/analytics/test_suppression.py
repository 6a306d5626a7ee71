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


def _interval(cell, threshold: int, top: int) -> range:
    return range(1, threshold) if cell.state == PRIMARY else range(threshold, top + 1)


def _feasible_values(shown_sum: int, hidden: list, total: int, threshold: int) -> dict[int, set[int]] | None:
    """For one table whose rows add up to `total`: the values each hidden row can take, or None if none fit."""
    ranges = [_interval(cell, threshold, total) for cell in hidden]
    remainder = total - shown_sum
    lows, highs = sum(r.start for r in ranges), sum(r.stop - 1 for r in ranges)
    if not lows <= remainder <= highs:
        return None
    possible = {}
    for index, r in enumerate(ranges):
        others_low, others_high = lows - r.start, highs - (r.stop - 1)
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
