"""The memory curve of one process rendering PDF notices: resident size after the first 100 renders and every
`--every` renders after, up to `-n` (issue 12's target: within +15 % of the value after 100, over 2,000).

    .venv/bin/python scripts/bench_memory.py -n 2000          # about 10 minutes on a 2-core machine
    .venv/bin/python scripts/bench_memory.py -n 300 --fresh-font-config   # as shipped before: one per PDF

Runs against a throwaway test database; renders one incident's bilingual notice again and again, in-process
(the work of a pool process, without the broker). Last line: `memory: <rss after 100> -> <rss at n> MiB (+x %)`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from bench_notices import make_incidents  # noqa: E402 - beside this script
from benchsupport import throwaway_database  # noqa: E402 - beside this script


def rss_kib(pid: int | None = None) -> int:
    """The process's resident set size in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc")


def curve(count: int, every: int, *, fresh_font_config: bool) -> list[tuple[int, int]]:
    from config.celery_app import app

    app.conf.update(task_always_eager=False, broker_url="memory://")
    from common import pdf as pdf_engine
    from incidents.pdf import render_notice_pdf

    if fresh_font_config:
        from weasyprint.text.fonts import FontConfiguration

        pdf_engine.font_config = FontConfiguration  # type: ignore[assignment]  # a new one per PDF, as shipped before
    incident = make_incidents(1)[0]
    points = []
    started = time.perf_counter()
    for number in range(1, count + 1):
        render_notice_pdf(incident=incident, language="ru-kk", version=incident.version)
        if number == 100 or (number > 100 and number % every == 0) or number == count:
            points.append((number, rss_kib()))
            elapsed = time.perf_counter() - started
            print(f"{number:5d} renders  rss {points[-1][1] / 1024:7.1f} MiB  {elapsed:6.0f} s", flush=True)
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="renders (default 2000)")
    parser.add_argument("--every", type=int, default=100, help="print the resident size every so many renders")
    parser.add_argument("--fresh-font-config", action="store_true", help="a new font configuration per PDF")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / "var" / "bench-media"
    with throwaway_database():
        points = curve(max(args.n, 100), args.every, fresh_font_config=args.fresh_font_config)
    base, last = points[0][1], points[-1][1]
    peak = max(rss for _, rss in points)
    print(
        f"memory: {base / 1024:.1f} -> {last / 1024:.1f} MiB after {points[-1][0]} renders "
        f"({(last - base) / base * 100:+.1f} %, peak {(peak - base) / base * 100:+.1f} %)"
    )


if __name__ == "__main__":
    main()
