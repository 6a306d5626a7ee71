"""WeasyPrint renders Kazakh and Russian text with real glyphs, and the text survives in the PDF."""

import io

import pytest
import weasyprint
from pypdf import PdfReader

KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"
KAZAKH = "Медициналық қызметкерге қауіп төнді: күзет бекетіне хабарлаңыз."
RUSSIAN = "Угроза медицинскому работнику: сообщите на полицейский пост."

HTML = f"""<!doctype html>
<html lang="kk"><head><meta charset="utf-8">
<style>@page {{ size: A4; margin: 2cm; }} body {{ font-family: "DejaVu Sans", sans-serif; }}</style></head>
<body><h1>Qorgau</h1><p>{KAZAKH}</p><p>{KAZAKH_LETTERS}</p><p lang="ru">{RUSSIAN}</p></body></html>"""


@pytest.fixture(scope="module")
def pdf() -> PdfReader:
    data = weasyprint.HTML(string=HTML).write_pdf()
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def test_every_kazakh_letter_is_in_the_pdf_text(pdf_text):
    for letter in KAZAKH_LETTERS.split():
        assert letter in pdf_text, f"{letter!r} (U+{ord(letter):04X}) is missing from the PDF text"


def test_kazakh_and_russian_sentences_read_back_whole(pdf_text):
    flat = " ".join(pdf_text.split())
    assert KAZAKH in flat
    assert RUSSIAN in flat


def test_the_text_is_set_in_an_embedded_font_with_cyrillic(pdf, pdf_text):
    fonts = [font.get_object() for page in pdf.pages for font in page["/Resources"]["/Font"].values()]
    names = [str(font["/BaseFont"]) for font in fonts]
    assert any("DejaVu" in name for name in names), names
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{font['/BaseFont']} is not embedded"
    assert "\ufffd" not in pdf_text
