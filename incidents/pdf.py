"""The PDF notice and the whole case file of an incident: HTML templates rendered by the shared engine
(`common.pdf`), which fetches nothing outside `static/`."""

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.pdf import html_to_pdf
from incidents.models import CaseFile, CaseMessage, Incident
from incidents.selectors.casefiles import case_files, evidence_custody, victims_with_compensation
from incidents.selectors.cases import (
    case_article_text,
    case_deadline,
    case_notices,
    case_questions,
    case_timeline,
)
from incidents.selectors.contacts import case_contacts
from incidents.selectors.notices import case_url, notice_number
from incidents.selectors.tagging import assessment_current, assessment_history, override_active, overrides_all


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
        # Answers the reporter gave before this notice was made: the post reads them with the facts.
        "answered": [question for question in case_questions(incident) if question.answers],
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


def casefile_context(*, casefile: CaseFile) -> dict:
    """Everything the case file prints, read at render time."""
    incident = casefile.incident
    timeline = case_timeline(incident)
    url = case_url(incident)
    return {
        "incident": incident,
        "casefile": casefile,
        "victims": victims_with_compensation(incident),
        "attackers": list(incident.attackers.all()),
        "assessment": assessment_current(incident),
        "override": override_active(incident),
        "history": assessment_history(incident),
        "overrides": overrides_all(incident),
        "deadline": case_deadline(incident),
        "events": timeline,
        "questions": case_questions(incident),
        "messages_from_reporter": incident.messages.filter(kind=CaseMessage.Kind.INFO).select_related("author"),
        "custody": evidence_custody(incident, timeline),
        "notices": case_notices(incident),
        "earlier_files": [
            earlier
            for earlier in case_files(incident)
            if earlier.status == CaseFile.Status.READY and earlier.pk != casefile.pk
        ],
        "case_url": url,
        "qr_svg": qr_svg(url),
        "generated_at": timezone.localtime(),
    }


def render_casefile_html(*, casefile: CaseFile) -> str:
    with translation.override(casefile.language):
        context = casefile_context(casefile=casefile)
        context["article"] = case_article_text(casefile.incident, casefile.language)
        return render_to_string("incidents/pdf/casefile.html", {**context, "LANGUAGE_CODE": casefile.language})


def render_casefile_pdf(*, casefile: CaseFile, url_fetcher=None) -> bytes:
    """The whole case file as A4 PDF bytes, in the language the officer chose."""
    return html_to_pdf(render_casefile_html(casefile=casefile), url_fetcher=url_fetcher)
