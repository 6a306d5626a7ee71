"""An analyst who wants a hidden count: every figure the statistics publish, over every period offered, put into
one linear system and solved.

The unknowns are the monthly counts of each published line (a part, a facility, the incidents...); each figure
published is the sum of its line's months over the figure's period; the structure any reader knows is added
(the rows of a breakdown add up to its total, a district is the sum of its facilities, a facility kind too, and
a facility not listed had no incident). A hidden figure is recovered when it is a linear combination of the
shown ones: differencing a year and its months, a month and the same months cut short, and so on.

The solver is written here on purpose, apart from the application's own audit (`analytics.suppression`), so
that a mistake in one is not repeated in the other. Arithmetic is exact, modulo a large prime: a figure
determined over the rationals is determined modulo the prime (the denominators are tiny).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from analytics.periods import add_months

PRIME = (1 << 61) - 1

Unknown = tuple  # (line, month)


def months_of(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start
    while month < end:
        months.append(month)
        month = add_months(month, 1)
    return months


class Span:
    """Vectors spanned by the known equations, kept in echelon form by their first unknown."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, int]] = {}
        self.index: dict[Unknown, int] = {}

    def vector(self, terms: Iterable[Unknown]) -> dict[int, int]:
        vector: dict[int, int] = {}
        for term in terms:
            column = self.index.setdefault(term, len(self.index))
            vector[column] = (vector.get(column, 0) + 1) % PRIME
        return {c: v for c, v in vector.items() if v}

    def reduce(self, vector: dict[int, int]) -> dict[int, int]:
        vector = dict(vector)
        while vector:
            lead = min(vector)
            row = self.rows.get(lead)
            if row is None:
                return vector
            factor = vector[lead]
            for column, value in row.items():
                updated = (vector.get(column, 0) - factor * value) % PRIME
                if updated:
                    vector[column] = updated
                else:
                    vector.pop(column, None)
        return vector

    def add(self, vector: dict[int, int]) -> None:
        vector = self.reduce(vector)
        if vector:
            lead = min(vector)
            inverse = pow(vector[lead], PRIME - 2, PRIME)
            self.rows[lead] = {c: v * inverse % PRIME for c, v in vector.items()}

    def determines(self, vector: dict[int, int]) -> bool:
        return not self.reduce(vector)


@dataclass
class Figure:
    line: tuple
    start: dt.date
    end: dt.date
    value: int
    hidden: bool
    where: str


@dataclass
class Attacker:
    figures: list[Figure] = field(default_factory=list)
    structure: list[tuple[tuple, list[tuple]]] = field(default_factory=list)  # (total line, its parts)

    def publish(self, line: tuple, start: dt.date, end: dt.date, cell, where: str) -> None:
        if cell.value is None:
            return
        self.figures.append(Figure(line, start, end, cell.value, cell.hidden, where))

    def adds_up(self, total: tuple, parts: list[tuple]) -> None:
        self.structure.append((total, parts))

    def recovered(self) -> list[Figure]:
        """The hidden figures that the shown ones and the structure determine exactly."""
        months = sorted({m for figure in self.figures for m in months_of(figure.start, figure.end)})
        span = Span()
        for total, parts in self.structure:
            for month in months:
                vector = span.vector([(total, month)])
                for part in parts:
                    for column, value in span.vector([(part, month)]).items():
                        vector[column] = (vector.get(column, 0) - value) % PRIME
                span.add({c: v for c, v in vector.items() if v})
        for figure in self.figures:
            if not figure.hidden:
                span.add(span.vector((figure.line, m) for m in months_of(figure.start, figure.end)))
        found = []
        for figure in self.figures:
            if figure.hidden:
                vector = span.vector((figure.line, m) for m in months_of(figure.start, figure.end))
                if vector and span.determines(vector):
                    found.append(figure)
        return found
