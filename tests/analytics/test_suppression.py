"""Small-cell suppression: no hidden figure can be worked out from the shown cells and the totals."""

import itertools

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
