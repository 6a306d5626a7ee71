"""JSON bodies read with a size limit, before parsing: a huge body is a 413, never memory spent on it."""

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

from api.problems import RequestTooLarge


def _no_constants(name: str) -> Any:
    raise ValueError(name)


class BoundedJSONParser(JSONParser):
    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None):
        limit = settings.QORGAU_API_JSON_MAX_BYTES
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > limit:
            raise RequestTooLarge(_("At most %(limit)s bytes of JSON.") % {"limit": limit})
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge(_("At most %(limit)s bytes of JSON.") % {"limit": limit})
        try:
            # NaN and Infinity are not JSON: refused, as a number field could not store them anyway.
            return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("The body is not valid JSON.")) from exc


class RawBytesParser(BaseParser):
    """A recording's bytes as sent (a whole file or one Content-Range part), at most
    QORGAU_RECORDING_CHUNK_MAX_BYTES."""

    media_type = "*/*"

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None):
        limit = settings.QORGAU_RECORDING_CHUNK_MAX_BYTES
        if stream is None:
            return b""
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge(_("At most %(limit)s bytes in one request.") % {"limit": limit})
        return raw
