"""The PDF notice of an incident: HTML templates rendered by the shared engine (`common.pdf`)."""

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.pdf import html_to_pdf
from incidents.models import Incident
from incidents.selectors.cases import case_article_text, case_deadline
from incidents.selectors.contacts import case_contacts
from incidents.selectors.notices import case_url, notice_number
from incidents.selectors.tagging import assessment_current, override_active


def qr_svg(url: str) -> str:
    """An inline SVG QR code; made by us from a URL we built, so it is safe to mark as HTML."""
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000", light=None, omitsize=False)


def notice_languages(language: str) -> list[str]:
    """The languages a notice is rendered in: "ru-kk" is the bilingual notice, else one language."""
    return language.split("-")


def notice_context(*, incident: Incident, version: int) -> dict:
    url = case_url(incident)
    victims = list(incident.victims.all())
    return {
        "incident": incident,
        "version": version,
        "number": notice_number(incident, version),
        "victims": victims,
        "attackers": list(incident.attackers.all()),
        "contacts": case_contacts(incident, victims=victims),
        "evidence": list(incident.evidence.all()),
        "assessment": assessment_current(incident),
        "override": override_active(incident),
        "deadline": case_deadline(incident),
        "case_url": url,
        "qr_svg": qr_svg(url),
        "generated_at": timezone.localtime(),
    }


def render_notice_html(*, incident: Incident, language: str, version: int) -> str:
    """The notice as HTML: one section per language, each rendered with that language active."""
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
    return html_to_pdf(
        render_notice_html(incident=incident, language=language, version=version), url_fetcher=url_fetcher
    )
