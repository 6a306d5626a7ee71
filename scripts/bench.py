"""`make bench`: the officer's pages (and the statistics') against floors of the same stack, as ratios.

Seeds (or reuses) the national-scale data set in DATABASE_URL, then prints one table and `targets met: N/M`
(config/bench/harness.py says how it measures). Needs PostgreSQL and Redis, as production:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench REDIS_URL=redis://127.0.0.1:6379/4 make bench
    .venv/bin/python scripts/bench.py --incidents 200000 --rounds 30     # a smaller set
    .venv/bin/python scripts/bench.py --no-seed                            # the data set as it is
    .venv/bin/python scripts/bench.py --no-seed --readme README.md         # and rewrite README's table
    .venv/bin/python scripts/bench.py --no-seed --only dashboard --rounds 10  # one page (or all whose label has it)

Seeding a million incidents takes about 3.5 minutes (seed_demo, COPY) and the case work about 3.5 more
(seed_casework, INSERT … SELECT) on a 2-core machine; a second run reuses them.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000, help="seeded incidents (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds per page (default 30)")
    parser.add_argument("--slow-rounds", type=int, default=10, help="rounds of the snapshot refresh (0: skip it)")
    parser.add_argument("--no-seed", action="store_true", help="measure the data set as it is")
    parser.add_argument("--readme", default="", help="rewrite the table between the bench markers of this README")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this (e.g. 'inbox')")
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from config.bench.harness import bench

    rows = bench(
        incidents=args.incidents,
        rounds=args.rounds,
        slow_rounds=args.slow_rounds,
        seed_data=not args.no_seed,
        out=sys.stdout,
        readme=args.readme,
        only=args.only,
    )
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
