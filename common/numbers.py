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
