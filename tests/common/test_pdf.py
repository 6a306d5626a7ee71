"""The PDF engine (`common/pdf.py`) fetches nothing but our static files."""

from pathlib import Path

import pytest
from django.conf import settings

from common import pdf as pdf_engine


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.css",
        "https://example.com/a.png",
        "ftp://example.com/a",
        "data:text/plain,hello",
        f"file://{settings.BASE_DIR}/static/../config/settings/base.py",
        f"file://{settings.BASE_DIR}/static/%2e%2e/manage.py",
        f"file://evil.example{settings.BASE_DIR}/static/css/qorgau.css",
        f"file://{settings.BASE_DIR}/manage.py",
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    with pytest.raises(pdf_engine.FetchRefused):
        pdf_engine.static_path_for(url)
    with pytest.raises(pdf_engine.FetchRefused):
        pdf_engine.make_url_fetcher().fetch(url)


def test_fetcher_serves_a_static_file():
    url = (Path(settings.BASE_DIR) / "static" / "css" / "qorgau.css").as_uri()
    response = pdf_engine.make_url_fetcher().fetch(url)
    assert response.read() == (Path(settings.BASE_DIR) / "static" / "css" / "qorgau.css").read_bytes()


def test_one_font_configuration_per_process(monkeypatch):
    # A FontConfiguration per PDF is never freed: the worker grew by about 300 KiB per notice (issue 12).
    from weasyprint.text.fonts import FontConfiguration

    built = []
    original = FontConfiguration.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    pdf_engine.html_to_pdf("<p>warm-up</p>")
    monkeypatch.setattr(FontConfiguration, "__init__", counting_init)
    for number in range(3):
        assert pdf_engine.html_to_pdf(f"<p>{number}</p>").startswith(b"%PDF")
    assert built == []


def test_a_forked_process_builds_its_own_font_configuration(monkeypatch):
    first = pdf_engine.font_config()
    assert pdf_engine.font_config() is first
    monkeypatch.setattr(pdf_engine.os, "getpid", lambda: -1)  # as in a pool process forked after the first render
    assert pdf_engine.font_config() is not first
