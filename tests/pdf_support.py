"""Reading back the PDFs the tests make."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The text of every page of the PDF `data`, a line break between pages."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
