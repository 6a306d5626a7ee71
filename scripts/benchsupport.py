"""What the benchmark scripts share: a throwaway test database and one way to summarise timings."""

import statistics
from collections.abc import Iterator
from contextlib import contextmanager


def summary(label: str, ms: list[float], *, decimals: int = 1) -> str:
    """`label: n=… median=… p90=… min=… max=…`, all in milliseconds (nearest-rank p90)."""
    ms = sorted(ms)
    p90 = ms[max(int(len(ms) * 0.9) - 1, 0)]
    return (
        f"{label}: n={len(ms)} median={statistics.median(ms):.{decimals}f} ms p90={p90:.{decimals}f} ms "
        f"min={ms[0]:.{decimals}f} ms max={ms[-1]:.{decimals}f} ms"
    )


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A test database made for the run (SQLite in memory, or a `test_…` PostgreSQL database), then dropped."""
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(old_config, verbosity=0)
