"""The PDF engine: WeasyPrint over our HTML, fetching only files under `static/`, never the network.

Notices (incidents) and statistics reports (analytics) both render through `html_to_pdf`. WeasyPrint is
imported inside the two functions that need it: the import costs about half a second, which neither Django
start-up nor a web request that renders no PDF should pay (the only function-level imports of the tree
besides the Celery services-tasks pair, and not of a project module).
"""

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

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


def make_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads files under `static/` and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            try:
                path = static_path_for(url)
            except FetchRefused:
                logger.warning("PDF renderer refused to fetch %.200s", url)
                raise
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return StaticOnlyURLFetcher(allowed_protocols=("file",), allow_redirects=False)


# One WeasyPrint font configuration per process, keyed by the process id: `write_pdf()` without one builds a
# new fontconfig set that is never freed (about 300 KiB per PDF, a worker grew from 138 to 375 MB). A forked pool
# process builds its own rather than share its parent's fontconfig state.
_font_config: tuple[int, Any] | None = None


def font_config() -> Any:
    """This process's one WeasyPrint FontConfiguration, built on first use."""
    global _font_config
    pid = os.getpid()
    if _font_config is None or _font_config[0] != pid:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = (pid, FontConfiguration())
    return _font_config[1]


def html_to_pdf(html: str, *, url_fetcher: Any = None) -> bytes:
    """A4 PDF bytes of `html`; relative URLs resolve under `static/`."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=url_fetcher or make_url_fetcher()
    )
    pdf: bytes = document.write_pdf(font_config=font_config())
    return pdf
