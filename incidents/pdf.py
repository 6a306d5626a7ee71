"""The PDF notice of an incident: HTML templates rendered by WeasyPrint, fetching only our own static files.

WeasyPrint is imported inside the functions that need it (the import costs about half a second), so
neither Django start-up nor a web request that never renders a PDF pays for it.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from incidents.models import Incident

logger = logging.getLogger(__name__)

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


class FetchRefused(ValueError):
    """A resource outside the project's static directory: never fetched."""


def static_path_for(url: str) -> Path:
    """The file under `static/` that a `file:` URL names; raises FetchRefused for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused {parts.scheme or 'relative'} URL")
    raw = unquote(parts.path)
    if ".." in Path(raw).parts:
        raise FetchRefused("refused a path with '..'")
    path = Path(raw).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise FetchRefused("refused a file outside static/")
    return path


def make_url_fetcher():
    """A WeasyPrint URL fetcher that reads files under `static/` and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                path = static_path_for(url)
            except FetchRefused:
                logger.warning("PDF renderer refused to fetch %.200s", url)
                raise
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return StaticOnlyURLFetcher(allowed_protocols=("file",), allow_redirects=False)


def qr_svg(url: str) -> str:
    """An inline SVG QR code; made by us from a URL we built, so it is safe to mark as HTML."""
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000", light=None, omitsize=False)


def notice_languages(language: str) -> list[str]:
    """The languages a notice is rendered in: "ru-kk" is the bilingual notice, else one language."""
    return language.split("-")


def notice_context(*, incident: Incident, version: int) -> dict:
    from incidents.case_selectors import case_assessment, case_deadline, notice_number
    from incidents.services.notices import case_url
    from legal.selectors import override_active

    url = case_url(incident)
    return {
        "incident": incident,
        "version": version,
        "number": notice_number(incident, version),
        "victims": list(incident.victims.all()),
        "attackers": list(incident.attackers.all()),
        "evidence": list(incident.evidence.all()),
        "assessment": case_assessment(incident),
        "override": override_active(incident),
        "deadline": case_deadline(incident),
        "case_url": url,
        "qr_svg": qr_svg(url),
        "generated_at": timezone.localtime(),
    }


def render_notice_html(*, incident: Incident, language: str, version: int) -> str:
    """The notice as HTML: one section per language, each rendered with that language active."""
    from incidents.case_selectors import case_article_text

    context = notice_context(incident=incident, version=version)
    sections = []
    for code in notice_languages(language):
        with translation.override(code):
            section = {**context, "article": case_article_text(incident, code)}
            sections.append(render_to_string("incidents/pdf/notice_section.html", section))
    with translation.override(notice_languages(language)[0]):
        return render_to_string(
            "incidents/pdf/notice.html",
            {**context, "sections": sections, "LANGUAGE_CODE": notice_languages(language)[0]},
        )


def render_notice_pdf(*, incident: Incident, language: str, version: int, url_fetcher=None) -> bytes:
    """The notice as A4 PDF bytes."""
    import weasyprint

    html = render_notice_html(incident=incident, language=language, version=version)
    document = weasyprint.HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=url_fetcher or make_url_fetcher(),
    )
    return document.write_pdf()
