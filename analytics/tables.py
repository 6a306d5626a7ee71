"""The statistics' table objects: what every output (page, PDF, CSV, XLSX, chart) reads, with hidden cells.

Plain data with no queries: the selectors fill them, the charts, templates and exports read them.
"""

from dataclasses import dataclass

from analytics.suppression import PRIMARY


@dataclass
class Cell:
    value: int | None
    state: str | None = None
    threshold: int = 3

    @property
    def hidden(self) -> bool:
        return self.state is not None

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.state == PRIMARY:
            return f"<{self.threshold}"
        if self.state is not None:
            return "x"
        return str(self.value)

    @property
    def shown(self) -> int | None:
        """The number a chart or a spreadsheet may show: None when hidden."""
        return None if self.hidden else self.value


@dataclass
class Row:
    label: str
    current: Cell
    previous: Cell
    is_total: bool = False
    # A row that is itself a period (the trend table) names its own periods; others use the table's.
    current_period: str = ""
    previous_period: str = ""
    # The category's code for machines (a part number, a district's code); the exports' "category code".
    code: str = ""

    @property
    def change_percent(self) -> int | None:
        """The change against a year earlier in whole percent; None when hidden, or nothing to compare with."""
        if self.current.hidden or self.previous.hidden or self.current.value is None or not self.previous.value:
            return None
        return round(100 * (self.current.value - self.previous.value) / self.previous.value)

    @property
    def change(self) -> str:
        if self.current.hidden or self.previous.hidden or self.current.value is None:
            return ""
        percent = self.change_percent
        return "—" if percent is None else f"{percent:+d}%"


@dataclass
class Table:
    key: str
    title: str
    unit: str  # "incidents" or "victims"
    rows: list[Row]
    current_label: str
    previous_label: str


@dataclass
class Timing:
    label: str
    unit: str
    current: tuple[str, str, Cell]  # median, p90, number of incidents
    previous: tuple[str, str, Cell]
    # The median and p90 as numbers (minutes or days, as `unit` says), for the exports; None where not shown.
    current_values: tuple[int | None, int | None] = (None, None)
    previous_values: tuple[int | None, int | None] = (None, None)
