"""The monthly statistics PDF fits its pages (issue 18): rendered for the demo data (43 facilities) and for a data set
of 152 police posts, every drawing stays inside the page's margins and clear of the footer (checked on the pixels that
pdftoppm draws), a long chart is cut into pieces with its heading repeated, and the content comes in its order."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader

from analytics import pdf as report_pdf
from analytics.periods import last_complete_month
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import snapshot_refresh
from facilities.models import District, Facility, PolicePost
from tests import factories

pytestmark = pytest.mark.django_db

A4 = (210.0, 297.0)
MARGINS = {"top": 16.0, "right": 14.0, "bottom": 18.0, "left": 14.0}  # as templates/analytics/pdf/report.html
DPI = 60
TOLERANCE_MM = 0.6
FOOTER_CLEARANCE_MM = 4.0  # below the content box, above the footer's line of text: nothing may be drawn there


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-accounts", verbosity=0)
    call_command("seed_demo", "--incidents", "1500", "--seed", "18", verbosity=0)
    snapshot_refresh()


@pytest.fixture
def posts_152(db):
    """The demo's facilities and 36 posts, and 116 more facilities with a post each: 152 posts, 159 facilities."""
    call_command("load_demo", "--no-accounts", verbosity=0)
    districts = list(District.objects.order_by("code"))
    for number in range(152 - PolicePost.objects.count()):
        factories.PolicePostFactory(
            facility__district=districts[number % len(districts)],
            facility__name_ru=f"Городская поликлиника с очень длинным названием № {number + 100}",
            facility__name_en=f"City polyclinic with a very long name No. {number + 100}",
            status=PolicePost.Status.ACTIVE,
        )
    assert PolicePost.objects.count() == 152 and Facility.objects.count() == 159
    call_command("seed_demo", "--incidents", "9000", "--seed", "18", verbosity=0)
    snapshot_refresh()


def monthly_pdf(language: str = "ru") -> tuple[bytes, object]:
    """The scheduled report's PDF: last complete month, all districts and kinds."""
    with translation.override(language):
        stats = statistics_for(Filters(period=last_complete_month(timezone.localdate())))
        return report_pdf.render_statistics_pdf(stats, language=language), stats


def page_images(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    if shutil.which("pdftoppm") is None:  # pragma: no cover - `make test` installs poppler-utils
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), str(tmp_path / "page")], check=True)  # noqa: S603, S607
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page-*.png"))]


def ink_outside_the_margins(image: Image.Image) -> list[str]:
    """Where on the page something is drawn that should not be: the margins (the footer's own line excepted) and
    the band between the content and the footer."""
    per_mm = image.width / A4[0]
    left = (MARGINS["left"] - TOLERANCE_MM) * per_mm
    right = (A4[0] - MARGINS["right"] + TOLERANCE_MM) * per_mm
    top = (MARGINS["top"] - TOLERANCE_MM) * per_mm
    bottom = (A4[1] - MARGINS["bottom"] + TOLERANCE_MM) * per_mm
    footer_top = (A4[1] - MARGINS["bottom"] + FOOTER_CLEARANCE_MM) * per_mm
    pixels = image.load()
    found = []
    for y in range(image.height):
        for x in range(image.width):
            if pixels[x, y] > 200:
                continue
            if y < top:
                found.append(f"top margin at {x / per_mm:.0f},{y / per_mm:.0f} mm")
            elif x < left or x > right:
                found.append(f"side margin at {x / per_mm:.0f},{y / per_mm:.0f} mm")
            elif bottom < y < footer_top:
                found.append(f"over the footer at {x / per_mm:.0f},{y / per_mm:.0f} mm")
    return found


def check_layout(pdf: bytes, tmp_path: Path) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    images = page_images(pdf, tmp_path)
    assert len(images) == len(reader.pages)
    for number, image in enumerate(images, start=1):
        ink = ink_outside_the_margins(image)
        assert not ink, f"page {number}: {ink[:5]}"
    return reader


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_the_demo_months_report_fits_its_pages_in_its_order(demo, tmp_path):
    pdf, stats = monthly_pdf("ru")
    reader = check_layout(pdf, tmp_path)
    text = " ".join(page_texts(reader))
    # The tiles, the trend, the heat map, the district map, the funnel, then the breakdowns; each heading also in
    # Kazakh, as the notices are bilingual.
    order = [
        "За период Кезеңде",
        "Инциденты по месяцам, по виду деяния Айлар бойынша",
        "Когда происходят нападения: день недели и час Шабуылдар қашан",
        "По районам Аудандар бойынша",
        "Путь к правосудию Әділ сотқа",
        "По частям статьи 380-3",
        "По организациям",
        "Словарь данных",
    ]
    positions = [text.find(heading) for heading in order]
    assert all(position >= 0 for position in positions), dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert len(stats.table("facility").rows) > 30


def test_a_152_post_months_report_splits_its_long_charts_with_the_heading_repeated(posts_152, tmp_path):
    pdf, stats = monthly_pdf("ru")
    reader = check_layout(pdf, tmp_path)
    facilities = len(stats.table("facility").rows) - 1
    assert facilities > 100  # the chart is long: it must be cut
    pieces = -(-facilities // report_pdf.BAR_ROWS_PER_PAGE)
    texts = page_texts(reader)
    for number in range(1, pieces + 1):
        heading = f"По организациям ({number}/{pieces})"
        [page] = [index for index, text in enumerate(texts) if heading in text]
        assert "Ұйымдар бойынша" in texts[page]
    # Every facility is in the chart (its label drawn) and in the table: none is lost off a page.
    for row in stats.table("facility").rows:
        if not row.is_total:
            label = row.label if len(row.label) <= 40 else row.label[:39]
            assert sum(label in text for text in texts) >= 1, label
    assert len(reader.pages) < 40


def test_every_figure_is_shorter_than_a_page(posts_152):
    with translation.override("ru"):
        stats = statistics_for(Filters(period=last_complete_month(timezone.localdate())))
        context = report_pdf.report_context(stats, "ru")
    drawn = [context[key] for key in ("trend", "heat", "districts", "funnel")]
    drawn += [piece for breakdown in context["breakdowns"] for piece in breakdown.pieces]
    heading_mm = 14
    for figure in drawn:
        assert figure.width_mm <= report_pdf.CONTENT_WIDTH_MM
        assert figure.height_mm + heading_mm < report_pdf.CONTENT_HEIGHT_MM, figure.height_mm
    assert re.search(r"\(\d+/\d+\)", str(context["breakdowns"][-1].pieces[-1].svg))
