"""How numbers are written for people: one recipe for tenge amounts in the law's penalties and for counts."""

# A narrow no-break space between thousands reads the same in Russian, Kazakh and English (a comma or a
# dot would be a decimal sign to someone) and never breaks a number across lines.
THOUSANDS_SEPARATOR = "\u202f"
# Four-digit numbers stay whole, as Russian typography writes them; so do years ("2026", not "2 026").
GROUPED_FROM = 10_000


def group_digits(value: int) -> str:
    """`value` with its thousands set apart by narrow no-break spaces when it has five digits or more."""
    if abs(value) < GROUPED_FROM:
        return str(value)
    return f"{value:,}".replace(",", THOUSANDS_SEPARATOR)


# Row ids fit PostgreSQL's bigint: 18 digits always do.
ID_DIGITS = 18


def parse_id(text: str | None) -> int | None:
    """A row id a user sent (a form field, a button's value), or None. ASCII digits only: Python's int() also reads
    other scripts' digits (`١` is 1) and `²` passes str.isdigit() yet int() refuses it."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > ID_DIGITS:
        return None
    return int(text)
