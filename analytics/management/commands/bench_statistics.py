"""Time the statistics on the current database: `manage.py bench_statistics [--period 2025] [--runs 10]`.

Measures the snapshot's full rebuild, the dashboard (figures, charts, and the whole page through Django), the
CSV export's first byte and whole body, the XLSX export and the PDF, each the median of --runs, and
checks that the snapshot's total equals a direct count of the incidents.
"""

import statistics
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from analytics import presentation
from analytics.pdf import render_statistics_pdf
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import current_snapshot, snapshot_refresh
from incidents.models import Incident, Status


def _median_ms(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


class Command(BaseCommand):
    help = "Benchmark the statistics dashboard, exports and PDF on this database."

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help='e.g. "2025", "2025-Q3", "2025-07"; default: last year')
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--pdf-runs", type=int, default=3)
        parser.add_argument("--no-refresh", action="store_true")

    def handle(self, *args, period: str, runs: int, pdf_runs: int, no_refresh: bool, **options):
        period = Period.parse(period) if period else Period.parse(str(timezone.localdate().year - 1))
        filters = Filters(period)
        results: list[tuple[str, float]] = []
        incidents = Incident.objects.count()
        self.stdout.write(f"Database: {self._vendor()}, incidents: {incidents}, period: {period.key}, runs: {runs}")

        if not no_refresh:
            started = time.perf_counter()
            snapshot = snapshot_refresh(full=True)  # every group: the figure that grows with the incidents
            results.append(("snapshot full rebuild (once)", (time.perf_counter() - started) * 1000))
        snapshot = current_snapshot()
        direct = Incident.objects.exclude(status=Status.CANCELLED).count()
        if snapshot.incidents != direct:
            self.stderr.write(self.style.ERROR(f"snapshot counts {snapshot.incidents}, direct count {direct}"))

        ms, stats = _median_ms(lambda: statistics_for(filters, snapshot=snapshot), runs)
        results.append(("dashboard figures (selector)", ms))
        ms, _ = _median_ms(lambda: presentation.dashboard_for(stats), runs)
        results.append(("dashboard figures drawn (by the view; never by the exports)", ms))

        client = Client(SERVER_NAME="localhost")
        client.force_login(self._analyst())
        url = f"{reverse('analytics:dashboard')}?period={period.key}"

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code  # noqa: S101 - a benchmark sanity check
            return response

        ms, _ = _median_ms(page, runs)
        results.append(("dashboard page (whole request)", ms))

        csv_url = f"{reverse('analytics:export_csv')}?period={period.key}"
        first_bytes, whole = [], []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(csv_url)
            chunks = iter(response.streaming_content)
            next(chunks)
            first_bytes.append((time.perf_counter() - started) * 1000)
            for _chunk in chunks:
                pass
            whole.append((time.perf_counter() - started) * 1000)
        results.append(("CSV first byte", statistics.median(first_bytes)))
        results.append(("CSV whole file", statistics.median(whole)))

        xlsx_url = f"{reverse('analytics:export_xlsx')}?period={period.key}"
        ms, _ = _median_ms(lambda: b"".join(client.get(xlsx_url).streaming_content), runs)
        results.append(("XLSX whole file", ms))

        ms, pdf = _median_ms(lambda: render_statistics_pdf(statistics_for(filters, snapshot=snapshot)), pdf_runs)
        results.append((f"statistics PDF (median of {pdf_runs}, {len(pdf) // 1024} KiB)", ms))

        self.stdout.write(
            f"Tables: {len(stats.tables)}, facilities: {len(stats.table('facility').rows) - 1}, "
            f"incidents in period: {stats.incidents.current.text}"
        )
        self.stdout.write("| measure | ms |\n|---|---:|")
        for name, ms in results:
            self.stdout.write(f"| {name} | {ms:.0f} |")

    def _vendor(self) -> str:
        return connection.vendor

    def _analyst(self) -> User:
        user, created = User.objects.get_or_create(username="bench-analyst")
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=Role.MINISTRY_ANALYST))
        return user
