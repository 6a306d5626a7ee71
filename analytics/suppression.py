"""Small-cell suppression, so that no published figure lets a reader count fewer than T people.

Rules (the data dictionary states them in words):

1. Primary: a count from 1 to T-1 is not shown; it reads "<T". Zero is shown.
2. Lines: a total and the cells that add up to it (a column of a table, the facilities of one
   district...). When a line's total is shown, the cells hidden in it must not be recoverable by
   subtraction: total minus the shown cells gives only the SUM of the hidden cells, and that sum must
   leave every hidden cell at least two possible values (knowing that a "<T" cell is 1..T-1 and any
   other hidden cell is at least T): a hidden "x" cell that could be worked out would protect nothing.
   While that is not so, the smallest shown non-zero cell of the line is hidden too (secondary
   suppression, shown as "x"); if none is left, the total is hidden.
3. Chains: nested counts (the outcome funnel, reported ⊇ acknowledged ⊇ …). The difference of two
   shown values of a chain is itself a count, so it must be 0 or at least T; otherwise the later
   value is hidden ("x").
4. A cell hidden in one line is hidden everywhere it appears (cells are shared by key), and the rules
   are applied again until nothing changes.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"
_UNBOUNDED = 10**12


@dataclass
class Suppressor:
    threshold: int
    values: dict[Hashable, int] = field(default_factory=dict)
    states: dict[Hashable, str] = field(default_factory=dict)
    lines: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    chains: list[tuple[Hashable, ...]] = field(default_factory=list)

    def add(self, key: Hashable, value: int) -> None:
        previous = self.values.setdefault(key, value)
        if previous != value:
            raise ValueError(f"cell {key!r} given two values: {previous} and {value}")

    def line(self, total: Hashable, cells: Iterable[Hashable]) -> None:
        cells = tuple(cells)
        missing = [key for key in (total, *cells) if key not in self.values]
        if missing:
            raise KeyError(missing)
        self.lines.append((total, cells))

    def chain(self, cells: Iterable[Hashable]) -> None:
        self.chains.append(tuple(cells))

    def hidden(self, key: Hashable) -> bool:
        return key in self.states

    def run(self) -> dict[Hashable, str]:
        """Mark the cells to hide; returns {key: "primary" | "secondary"} for the hidden ones."""
        for key, value in self.values.items():
            if 0 < value < self.threshold:
                self.states[key] = PRIMARY
        changed = True
        while changed:
            changed = False
            for total, cells in self.lines:
                while not self._line_protected(total, cells):
                    self._hide_next(total, cells)
                    changed = True
            for cells in self.chains:
                changed |= self._apply_chain(cells)
        return dict(self.states)

    def _line_protected(self, total: Hashable, cells: tuple[Hashable, ...]) -> bool:
        hidden = [key for key in cells if self.hidden(key)]
        if self.hidden(total):
            # A hidden total is safe in this line only if the line does not add up to it: with every cell
            # shown, the total is their sum (and could then unlock hidden cells in another table).
            return bool(hidden) or not any(self.values[key] for key in cells)
        if not hidden:
            return True
        remainder = self.values[total] - sum(self.values[key] for key in cells if not self.hidden(key))
        lower = {key: 1 if self.states[key] == PRIMARY else self.threshold for key in hidden}
        upper = {key: self.threshold - 1 if self.states[key] == PRIMARY else _UNBOUNDED for key in hidden}
        sum_lower, sum_upper = sum(lower.values()), sum(upper.values())
        for key in hidden:
            low = max(lower[key], remainder - (sum_upper - upper[key]))
            high = min(upper[key], remainder - (sum_lower - lower[key]))
            if high <= low:
                return False
        return True

    def _hide_next(self, total: Hashable, cells: tuple[Hashable, ...]) -> None:
        shown = [key for key in cells if not self.hidden(key) and self.values[key] > 0]
        if shown:
            self.states[min(shown, key=lambda key: self.values[key])] = SECONDARY
        else:
            self.states[total] = SECONDARY

    def _apply_chain(self, cells: tuple[Hashable, ...]) -> bool:
        changed = False
        shown: list[int] = []
        for key in cells:
            if self.hidden(key):
                continue
            value = self.values[key]
            if any(0 < abs(value - other) < self.threshold for other in shown):
                self.states[key] = SECONDARY
                changed = True
            else:
                shown.append(value)
        return changed
