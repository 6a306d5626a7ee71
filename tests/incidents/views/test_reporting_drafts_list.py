"""Issue 11: a reporter tells her drafts apart in "My reports": when, its first words, how many files."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from incidents.models import DraftUpload, ReportDraft

pytestmark = pytest.mark.django_db


def drafts_section(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("incidents:my_reports")).content.decode()
    return html.split('id="drafts-heading"', 1)[1].split("</section>", 1)[0]


def test_each_draft_shows_its_first_words_its_time_and_its_files(client, reporter):
    long = ReportDraft.objects.create(
        owner=reporter,
        data={"account": ["Пациент из третьей палаты кричал и угрожал медсестре расправой, если она не даст ему " * 3]},
    )
    DraftUpload.objects.create(
        draft=long,
        file=ContentFile(b"x", name="a.jpg"),
        original_name="a.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
    )
    ReportDraft.objects.create(owner=reporter, data={"account": ["Родственник толкнул врача"]})
    ReportDraft.objects.create(owner=reporter, data={"account": ["   "]})
    section = drafts_section(client, reporter)
    assert "Пациент из третьей палаты кричал и угрожал" in section and "…" in section
    assert "Родственник толкнул врача<" in section
    assert "no text yet" in section  # the empty one says so, rather than nothing
    assert "1 file" in section
    assert section.count("Draft of") == 3
