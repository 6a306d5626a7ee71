"""Small-cell suppression, so that no published figure lets a reader count fewer than T people.

Rules (the data dictionary states them in words):

1. Primary: a count from 1 to T-1 is not shown; it reads "<T". Zero is shown.
2. Lines: a total and the cells that add up to it (a column of a table, the facilities of one district, the
   three months of a quarter...). When a line's total is shown, the cells hidden in it must not be
   recoverable by subtraction: total minus the shown cells gives only the SUM of the hidden cells, and that
   sum must leave every hidden cell at least two possible values (knowing that a "<T" cell is 1..T-1 and any
   other hidden cell is at least T). While that is not so, one more cell of the line is hidden (secondary
   suppression, shown as "x"): the smallest shown non-zero cell, preferring among equals one that also
   protects another line still open; if none is left, the total is hidden.
3. Chains: nested counts (the outcome funnel, reported ⊇ acknowledged ⊇ …). The difference of two
   shown values of a chain is itself a count, so it must be 0 or at least T; otherwise the later
   value is hidden ("x").
4. A cell hidden in one line is hidden everywhere it appears (cells are shared by key, across tables and
   periods), and the rules are applied again until nothing changes.
5. Fewest cells: then every secondary cell is tried again, largest first, and shown if every line and chain
   it is in stays protected without it.
6. Lines together: rule 2 protects each line alone; two lines can still pin a cell between them (a cell whose
   row and column each hold one other hidden cell that is itself pinned). An audit solves every line at once
   (exact linear algebra, modulo a large prime) and, for each hidden cell the shown ones determine, hides the
   smallest shown cell of one of its lines; then rules 2-4 again, until the audit finds none. When the pinned
   cell's own lines have nothing left to hide, the lines that pin it are found (the combination of lines that
   gives it, which can run through other windows, districts and kinds and their zero cells) and a cell of those
   is hidden instead, a zero if need be. Every round hides at least one more cell, so the audit ends clean;
   the result is never returned with a pinned cell in it.
"""

import random
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"
UNPUBLISHED = "unpublished"  # a sum nobody publishes, that lines still tie to published cells
_UNBOUNDED = 10**12
_PRIME = (1 << 61) - 1
NEIGHBOUR_STEPS = 2  # how far from a pinned cell whose own lines are spent a cell to hide is looked for first
AUDITED_TRIES = 10  # solutions spent on showing big secondary cells again after the audit (each solves every line)
SMALL = 10  # a hidden cell this big is kept only when no smaller one will do


@dataclass
class Suppressor:
    threshold: int
    values: dict[Hashable, int] = field(default_factory=dict)
    states: dict[Hashable, str] = field(default_factory=dict)
    lines: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    chains: list[tuple[Hashable, ...]] = field(default_factory=list)
    _seen_lines: set[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=set, repr=False)

    def add(self, key: Hashable, value: int) -> None:
        previous = self.values.setdefault(key, value)
        if previous != value:
            raise ValueError(f"cell {key!r} given two values: {previous} and {value}")

    def unpublished(self, key: Hashable, value: int) -> None:
        """A cell no output shows, whose lines tie other cells together (districts and kinds that add up to the
        same facilities): hidden from the start and for good; its being worked out gives nothing away."""
        self.add(key, value)
        self.states[key] = UNPUBLISHED

    def line(self, total: Hashable, cells: Iterable[Hashable]) -> None:
        cells = tuple(cells)
        missing = [key for key in (total, *cells) if key not in self.values]
        if missing:
            raise KeyError(missing)
        if (total, cells) in self._seen_lines:
            return
        self._seen_lines.add((total, cells))
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
        if not self.states and not self.chains:
            return {}
        self._index()
        self._protect()
        self._drop_needless()
        while pinned := self.audit():
            hidden_before = len(self.states)
            pinning = _Pinning(self)
            for key in pinned:
                self._hide_beside(key, pinning)
            if len(self.states) == hidden_before:
                # Not reachable for a cell above zero (see _hide_beside); a zero that lines of zeros and hidden
                # cells pin gives nobody away, and there is nothing left to hide for it.
                break
            self._protect()
        if any(self.values[key] >= SMALL for key, state in self.states.items() if state == SECONDARY):
            self._drop_needless(audited=True)
        return dict(self.states)

    def is_protected(self) -> bool:
        """Whether the cells hidden now keep every line, every chain and all lines together safe."""
        self._index()
        lines = all(self._line_protected(total, cells) for total, cells in self.lines)
        return lines and all(self._chain_ok(cells) for cells in self.chains) and not self.audit()

    # Rules 2-4 -------------------------------------------------------------------------------------------

    def _index(self) -> None:
        self._lines_of: defaultdict[Hashable, list[int]] = defaultdict(list)
        for number, (total, cells) in enumerate(self.lines):
            for key in (total, *cells):
                self._lines_of[key].append(number)
        self._chains_of: defaultdict[Hashable, list[int]] = defaultdict(list)
        for number, cells in enumerate(self.chains):
            for key in cells:
                self._chains_of[key].append(number)

    def _protect(self) -> None:
        open_lines = set(range(len(self.lines)))
        while True:
            for number in sorted(open_lines):
                total, cells = self.lines[number]
                while not self._line_protected(total, cells):
                    self._hide_next(total, cells)
            hid_in_chain = [key for cells in self.chains for key in self._apply_chain(cells)]
            # A cell hidden for one line (or chain) can leave another line open again.
            open_lines = {
                number for number, (total, cells) in enumerate(self.lines) if not self._line_protected(total, cells)
            }
            if not open_lines and not hid_in_chain:
                return

    def _line_protected(self, total: Hashable, cells: tuple[Hashable, ...]) -> bool:
        hidden = [key for key in cells if self.hidden(key)]
        if self.states.get(total) == UNPUBLISHED:
            return True  # nothing to protect in the total; the audit solves these lines with the rest
        if self.hidden(total):
            # A hidden total is safe in this line only if the line does not add up to it: with every cell
            # shown, the total is their sum (and could then unlock hidden cells in another table).
            return bool(hidden) or not any(self.values[key] for key in cells)
        if not hidden:
            return True
        remainder = self.values[total] - sum(self.values[key] for key in cells if not self.hidden(key))
        bounds = {
            PRIMARY: (1, self.threshold - 1),
            SECONDARY: (self.threshold, _UNBOUNDED),
            UNPUBLISHED: (0, _UNBOUNDED),
        }
        lower = {key: bounds[self.states[key]][0] for key in hidden}
        upper = {key: bounds[self.states[key]][1] for key in hidden}
        sum_lower, sum_upper = sum(lower.values()), sum(upper.values())
        for key in hidden:
            low = max(lower[key], remainder - (sum_upper - upper[key]))
            high = min(upper[key], remainder - (sum_lower - lower[key]))
            if high <= low:
                return False
        return True

    def _open_lines_with(self, key: Hashable) -> int:
        return sum(1 for number in self._lines_of[key] if not self._line_protected(*self.lines[number]))

    def _hide_next(self, total: Hashable, cells: tuple[Hashable, ...]) -> None:
        shown = [key for key in cells if not self.hidden(key) and self.values[key] > 0]
        if not shown:
            self.states[total] = SECONDARY
            return
        smallest = min(self.values[key] for key in shown)
        # Among the smallest cells, one that closes another open line too (a facility of the same district
        # and kind, a month of the same quarter) saves hiding a second cell there.
        candidates = [key for key in shown if self.values[key] == smallest]
        best = max(candidates, key=self._open_lines_with) if len(candidates) > 1 else candidates[0]
        self.states[best] = SECONDARY

    def _apply_chain(self, cells: tuple[Hashable, ...]) -> list[Hashable]:
        newly = []
        shown: list[int] = []
        for key in cells:
            if self.hidden(key):
                continue
            value = self.values[key]
            if any(0 < abs(value - other) < self.threshold for other in shown):
                self.states[key] = SECONDARY
                newly.append(key)
            else:
                shown.append(value)
        return newly

    def _chain_ok(self, cells: tuple[Hashable, ...]) -> bool:
        shown = [self.values[key] for key in cells if not self.hidden(key)]
        return all(not 0 < abs(a - b) < self.threshold for i, a in enumerate(shown) for b in shown[i + 1 :])

    # Rule 5 ----------------------------------------------------------------------------------------------

    def _needed(self, key: Hashable) -> bool:
        """Whether a line or chain of `key` is left open with the cells hidden now."""
        return not all(self._line_protected(*self.lines[n]) for n in self._lines_of[key]) or not all(
            self._chain_ok(self.chains[n]) for n in self._chains_of[key]
        )

    def _drop_needless(self, *, audited: bool = False) -> None:
        """Show again each secondary cell that no line or chain needs, largest first; a cell of 10 or more that a
        smaller shown cell of one of its lines can stand in for is swapped for it. Until nothing changes. After the
        audit (`audited`), only the cells of 10 or more are tried, each at the cost of solving every line again, and
        at most AUDITED_TRIES solutions are spent (the cells not reached stay hidden: safe, if not fewest)."""
        self._audits_left = AUDITED_TRIES
        changed = True
        while changed:
            changed = False
            secondary = [
                key
                for key, state in self.states.items()
                if state == SECONDARY and (not audited or self.values[key] >= SMALL)
            ]
            for key in sorted(secondary, key=lambda key: (-self.values[key], repr(key))):
                if audited and self._audits_left <= 0:
                    return
                del self.states[key]
                if not self._needed(key) and (not audited or not self._audit_spent()):
                    changed = True
                    continue
                if self.values[key] >= SMALL and self._swap(key, audited=audited):
                    changed = True
                    continue
                self.states[key] = SECONDARY

    def _swap(self, key: Hashable, *, audited: bool) -> bool:
        """Hide a smaller shown cell of a line of `key` instead of `key` (which is shown now), if that protects."""
        options = sorted(
            {
                other
                for n in self._lines_of[key]
                for other in (self.lines[n][0], *self.lines[n][1])
                if not self.hidden(other) and 0 < self.values[other] < self.values[key]
            },
            key=lambda other: (self.values[other], repr(other)),
        )
        for other in options:
            self.states[other] = SECONDARY
            if not self._needed(key) and not self._needed(other) and (not audited or not self._audit_spent()):
                return True
            del self.states[other]
        return False

    # Rule 6 ----------------------------------------------------------------------------------------------

    def _audit_spent(self) -> list[Hashable]:
        self._audits_left -= 1
        return self.audit()

    def audit(self) -> list[Hashable]:
        """The hidden cells that the shown cells and all the lines together determine exactly."""
        hidden = sorted(self.states, key=repr)
        if not hidden:
            return []
        column = {key: number for number, key in enumerate(hidden)}
        basis: dict[int, dict[int, int]] = {}
        for number in sorted({number for key in hidden for number in self._lines_of[key]}):  # lines with a hidden cell
            _insert(basis, _hidden_part(*self.lines[number], column))
        free = _null_vector(basis, len(hidden))
        return [key for key in hidden if not free[column[key]] and self.states[key] != UNPUBLISHED]

    def _hide_beside(self, key: Hashable, pinning: "_Pinning") -> None:
        """Hide the smallest shown non-zero cell of a line that `key` is in (or, failing that, a total); if its own
        lines have none left, one of the lines whose combination pins `key`."""
        if self._hide_smallest_of(self._lines_of[key]):
            return
        # Its hidden neighbours' lines next, and theirs (cheap; most pinning combinations run through them); the
        # next audit says whether that was enough.
        reached, lines_near = {key}, set(self._lines_of[key])
        for _step in range(NEIGHBOUR_STEPS):
            neighbours = {
                cell
                for number in lines_near
                for cell in (self.lines[number][0], *self.lines[number][1])
                if self.hidden(cell) and cell not in reached
            }
            reached |= neighbours
            lines_near = {number for cell in neighbours for number in self._lines_of[cell]}
            if self._hide_smallest_of(sorted(lines_near)):
                return
        lines = pinning.lines_of(key)
        if not self._hide_smallest_of(lines):
            # Only zeros are shown in the lines that pin `key`. Its value is then the shown zeros' and hidden cells'
            # sum: one of those zeros must go too. (If no cell of them is shown at all, the lines alone, which
            # hold for the true counts, give `key` as 0, and a zero gives nobody away.)
            self._hide_smallest_of(lines, zeros=True)

    def _hide_smallest_of(self, line_numbers: Iterable[int], *, zeros: bool = False) -> bool:
        options = []
        for number in line_numbers:
            total, cells = self.lines[number]
            for other in (total, *cells):
                if not self.hidden(other) and (zeros or self.values[other] > 0):
                    options.append((other != total, self.values[other], repr(other), other))
        if not options:
            return False
        # Cells before totals, the smallest first.
        chosen = min(options, key=lambda option: (not option[0], option[1], option[2]))
        self.states[chosen[3]] = SECONDARY
        return True


class _Pinning:
    """Which lines pin a hidden cell: the audit's solution again, with each basis row remembering the lines it was
    made of. Built once per audit round, from the cells hidden when the round began, and only if a pinned cell's
    own lines have nothing left to hide."""

    def __init__(self, suppressor: Suppressor) -> None:
        self.suppressor = suppressor
        self.column = {hidden: number for number, hidden in enumerate(sorted(suppressor.states, key=repr))}
        self._basis: dict[int, tuple[dict[int, int], dict[int, int]]] | None = None

    def lines_of(self, key: Hashable) -> list[int]:
        """The lines whose combination gives `key` from the shown cells ([] if they do not)."""
        if self._basis is None:
            self._basis = {}
            for number, (total, cells) in enumerate(self.suppressor.lines):
                if vector := _hidden_part(total, cells, self.column):
                    _insert_tracked(self._basis, vector, {number: 1})
        if key not in self.column:
            return []
        remainder, combination = _reduce_tracked(self._basis, {self.column[key]: 1}, {})
        if remainder:
            return []  # not pinned
        return sorted(number for number, coefficient in combination.items() if coefficient)


def _hidden_part(total: Hashable, cells: tuple[Hashable, ...], column: dict[Hashable, int]) -> dict[int, int]:
    """A line (total - cells = 0) restricted to its hidden cells, numbered by `column`: the shown ones are known."""
    vector: dict[int, int] = {}
    if total in column:
        vector[column[total]] = 1
    for cell in cells:
        if cell in column:
            vector[column[cell]] = (vector.get(column[cell], 0) - 1) % _PRIME
    return {c: v for c, v in vector.items() if v}


def _reduce(basis: dict[int, dict[int, int]], vector: dict[int, int]) -> dict[int, int]:
    vector = dict(vector)
    while vector:
        lead = min(vector)
        row = basis.get(lead)
        if row is None:
            return vector
        factor = vector[lead]
        for column, value in row.items():
            updated = (vector.get(column, 0) - factor * value) % _PRIME
            if updated:
                vector[column] = updated
            else:
                vector.pop(column, None)
    return vector


def _insert(basis: dict[int, dict[int, int]], vector: dict[int, int]) -> None:
    vector = _reduce(basis, vector)
    if vector:
        lead = min(vector)
        inverse = pow(vector[lead], _PRIME - 2, _PRIME)
        basis[lead] = {column: value * inverse % _PRIME for column, value in vector.items()}


def _null_vector(basis: dict[int, dict[int, int]], size: int) -> list[int]:
    """A random solution of the lines' homogeneous system (the echelon rows of `basis`) over `size` unknowns.

    A hidden cell that the lines determine is 0 in every solution; any other is 0 in a random one only with
    probability 1/prime. So the zeros of one random solution are the determined cells (exactly, but for that
    chance, whose only effect would be one cell hidden too many): one back-substitution, instead of reducing each
    cell's unit vector against the basis. The generator is seeded, so a run is repeatable.
    """
    draw = random.Random(size)  # noqa: S311 - a witness for linear algebra, not a secret
    solution = [0] * size
    for number in range(size - 1, -1, -1):
        row = basis.get(number)
        if row is None:
            solution[number] = draw.randrange(1, _PRIME)  # a free unknown
        else:  # row[number] == 1: the pivot is minus the rest of its row
            solution[number] = -sum(value * solution[c] for c, value in row.items() if c != number) % _PRIME
    return solution


def _reduce_tracked(
    basis: dict[int, tuple[dict[int, int], dict[int, int]]], vector: dict[int, int], combination: dict[int, int]
) -> tuple[dict[int, int], dict[int, int]]:
    """As _reduce, carrying along the combination of lines subtracted (line number → coefficient)."""
    vector, combination = dict(vector), dict(combination)
    while vector:
        lead = min(vector)
        if lead not in basis:
            break
        row, row_combination = basis[lead]
        factor = vector[lead]
        for target, source in ((vector, row), (combination, row_combination)):
            for column, value in source.items():
                updated = (target.get(column, 0) - factor * value) % _PRIME
                if updated:
                    target[column] = updated
                else:
                    target.pop(column, None)
    return vector, combination


def _insert_tracked(
    basis: dict[int, tuple[dict[int, int], dict[int, int]]], vector: dict[int, int], combination: dict[int, int]
) -> None:
    vector, combination = _reduce_tracked(basis, vector, combination)
    if vector:
        lead = min(vector)
        inverse = pow(vector[lead], _PRIME - 2, _PRIME)
        basis[lead] = (
            {column: value * inverse % _PRIME for column, value in vector.items()},
            {number: value * inverse % _PRIME for number, value in combination.items()},
        )
