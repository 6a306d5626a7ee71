"""Structure checks of uploaded files whose type was guessed from their first bytes.

A signature says only how a file starts: `%PDF-` followed by a web page passed as a PDF. These checks walk
the container the signature announces (the PDF with pypdf, ISO-BMFF boxes for MP4, MOV, M4A and HEIC, EBML
elements for WebM, RIFF chunks for WAV, Ogg pages), so a file that starts right and then holds something else
is refused. They read headers only: a 25 MB video is walked, not decoded.
"""

# File[...] is a type for mypy only: Django's File is not subscriptable at run time.
from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from pypdf import PdfReader
from pypdf.errors import DependencyError

# Markup that makes a browser (or a viewer) treat a file as a web page; looked for at both ends of every file.
MARKUP = (b"<html", b"<script", b"<body", b"<head", b"<iframe", b"<svg", b"<!doctype html", b"<?php")
MARKUP_WINDOW = 8192
# Containers nest a few levels; files with absurd numbers of boxes or pages are refused rather than walked.
MAX_ELEMENTS = 200_000
# The `meta` box of a HEIC (item list and properties) is small; a bigger one is not a photo.
MAX_META_BYTES = 4 * 1024 * 1024

ISOBMFF_TYPES = frozenset({"video/mp4", "video/x-m4v", "video/quicktime", "audio/mp4", "image/heic"})
# The box an ISO-BMFF file of each kind cannot do without: a movie's `moov`, an image's `meta`.
ISOBMFF_REQUIRED = {"image/heic": b"meta"}
ISOBMFF_DEFAULT_REQUIRED = b"moov"

# EBML ids (WebM): the header, its DocType, the Segment and the elements that may sit at the Segment's top.
EBML_HEADER = 0x1A45DFA3
EBML_DOCTYPE = 0x4282
EBML_SEGMENT = 0x18538067
EBML_TRACKS = 0x1654AE6B
EBML_CLUSTER = 0x1F43B675
EBML_TOP_LEVEL = frozenset(
    {
        0x114D9B74,  # SeekHead
        0x1549A966,  # Info
        EBML_TRACKS,
        EBML_CLUSTER,
        0x1C53BB6B,  # Cues
        0x1043A770,  # Chapters
        0x1254C367,  # Tags
        0x1941A469,  # Attachments
        0xEC,  # Void
        0xBF,  # CRC-32
    }
)

logger = logging.getLogger(__name__)


class BadStructure(Exception):
    """The file does not hold the container its first bytes announce; `code` says why."""

    def __init__(self, code: str = "broken") -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Structure:
    """What the walk learnt: the largest picture a HEIC declares (width × height), when it is one."""

    pixels: int | None = None


def carries_markup(file: File[Any], size: int) -> bool:
    """True when the start or the end of the file holds web page markup (an HTML polyglot)."""
    file.seek(0)
    head = file.read(MARKUP_WINDOW)
    file.seek(max(0, size - MARKUP_WINDOW))
    tail = file.read(MARKUP_WINDOW)
    file.seek(0)
    return any(tag in part.lower() for part in (head, tail) for tag in MARKUP)


def structure_check(file: File[Any], *, mime: str, size: int) -> Structure:
    """Walk the container of a detected type; raises BadStructure when it does not hold together."""
    try:
        if mime == "application/pdf":
            return _pdf(file)
        if mime in ISOBMFF_TYPES:
            return _isobmff(file, size=size, mime=mime)
        if mime == "video/webm":
            return _webm(file, size=size)
        if mime == "audio/x-wav":
            return _wav(file, size=size)
        if mime == "audio/ogg":
            return _ogg(file, size=size)
    finally:
        file.seek(0)
    # MP3 has no container to walk (frames follow one another); its signature is all there is.
    return Structure()


# --- PDF ----------------------------------------------------------------------------------------------------


def _pdf(file: File[Any]) -> Structure:
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                # AES under an empty password: the structure parsed and anyone can open it, but this
                # installation lacks the cipher to count its pages.
                return Structure()
            if not opened:
                raise BadStructure("protected")
        pages = len(reader.pages)
    except BadStructure:
        raise
    except Exception as exc:  # a parser over hostile input fails in many ways; every one means "broken"
        logger.info("PDF refused: %s", exc)
        raise BadStructure("broken") from exc
    if pages < 1:
        raise BadStructure("broken")
    return Structure()


# --- ISO-BMFF (MP4, MOV, M4A, HEIC) ---------------------------------------------------------------------------


def _boxes(stream: Any, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box between start and end, which they must fill exactly."""
    offset = start
    count = 0
    while offset < end:
        count += 1
        if count > MAX_ELEMENTS or end - offset < 8:
            raise BadStructure
        stream.seek(offset)
        header = stream.read(16)
        size = int.from_bytes(header[:4], "big")
        kind = header[4:8]
        header_size = 8
        if size == 1:
            if len(header) < 16:
                raise BadStructure
            size = int.from_bytes(header[8:16], "big")
            header_size = 16
        elif size == 0:  # the last box runs to the end of the file
            size = end - offset
        if size < header_size or offset + size > end:
            raise BadStructure
        # Box types are four printable characters (QuickTime's user data also uses ©, 0xA9).
        if not all(0x20 <= byte <= 0x7E or byte == 0xA9 for byte in kind):
            raise BadStructure
        yield kind, offset + header_size, offset + size
        offset += size


def _isobmff(file: File[Any], *, size: int, mime: str) -> Structure:
    required = ISOBMFF_REQUIRED.get(mime, ISOBMFF_DEFAULT_REQUIRED)
    first = True
    found = False
    pixels = None
    for kind, payload, end in _boxes(file, 0, size):
        if first and kind != b"ftyp":
            raise BadStructure
        first = False
        if kind == required:
            found = True
            if kind == b"meta":
                pixels = _heic_pixels(file, payload, end)
    if not found:
        raise BadStructure
    return Structure(pixels=pixels)


def _heic_pixels(file: File[Any], payload: int, end: int) -> int:
    """The largest width × height an `ispe` property of the `meta` box declares (the grid's is the photo's)."""
    if end - payload > MAX_META_BYTES or end - payload < 4:
        raise BadStructure
    file.seek(payload)
    meta = io.BytesIO(file.read(end - payload))
    largest = 0
    for kind, start, stop in _boxes(meta, 4, end - payload):  # `meta` is a full box: version and flags first
        if kind != b"iprp":
            continue
        for inner, inner_start, inner_stop in _boxes(meta, start, stop):
            if inner != b"ipco":
                continue
            for prop, prop_start, prop_stop in _boxes(meta, inner_start, inner_stop):
                if prop == b"ispe":
                    if prop_stop - prop_start < 12:
                        raise BadStructure
                    meta.seek(prop_start + 4)
                    extents = meta.read(8)
                    width, height = int.from_bytes(extents[:4], "big"), int.from_bytes(extents[4:], "big")
                    largest = max(largest, width * height)
    if largest == 0:
        raise BadStructure  # a HEIC says how large its picture is
    return largest


# --- EBML (WebM) --------------------------------------------------------------------------------------------


def _ebml_id(stream: Any) -> int:
    first = stream.read(1)
    if not first:
        raise BadStructure
    length = next((n for n in range(1, 5) if first[0] & (0x80 >> (n - 1))), 0)
    if not length:
        raise BadStructure
    rest = stream.read(length - 1)
    if len(rest) != length - 1:
        raise BadStructure
    return int.from_bytes(first + rest, "big")


def _ebml_size(stream: Any) -> int | None:
    """An element's data size; None for "unknown" (all ones), which live recordings use."""
    first = stream.read(1)
    if not first:
        raise BadStructure
    length = next((n for n in range(1, 9) if first[0] & (0x80 >> (n - 1))), 0)
    if not length:
        raise BadStructure
    rest = stream.read(length - 1)
    if len(rest) != length - 1:
        raise BadStructure
    value = int.from_bytes(bytes([first[0] & (0xFF >> length)]) + rest, "big")
    return None if value == (1 << (7 * length)) - 1 else value


def _webm(file: File[Any], *, size: int) -> Structure:
    file.seek(0)
    if _ebml_id(file) != EBML_HEADER:
        raise BadStructure
    header_size = _ebml_size(file)
    if header_size is None or file.tell() + header_size > size:
        raise BadStructure
    header_end = file.tell() + header_size
    doctype = b""
    while file.tell() < header_end:
        element = _ebml_id(file)
        length = _ebml_size(file)
        if length is None or file.tell() + length > header_end:
            raise BadStructure
        value = file.read(length)
        if element == EBML_DOCTYPE:
            doctype = value.rstrip(b"\x00")
    if doctype not in (b"webm", b"matroska") or _ebml_id(file) != EBML_SEGMENT:
        raise BadStructure
    segment_size = _ebml_size(file)
    segment_end = size if segment_size is None else file.tell() + segment_size
    if segment_end != size:
        raise BadStructure
    has_tracks = False
    for _count in range(MAX_ELEMENTS):
        if file.tell() >= segment_end:
            break
        element = _ebml_id(file)
        length = _ebml_size(file)
        if element not in EBML_TOP_LEVEL:
            raise BadStructure
        has_tracks = has_tracks or element == EBML_TRACKS
        if length is None:
            # A cluster still being written when the recording stopped: what follows is its blocks.
            if element != EBML_CLUSTER:
                raise BadStructure
            break
        if file.tell() + length > segment_end:
            raise BadStructure
        file.seek(file.tell() + length)
    else:
        raise BadStructure
    if not has_tracks:
        raise BadStructure
    return Structure()


# --- WAV and Ogg ----------------------------------------------------------------------------------------------


def _wav(file: File[Any], *, size: int) -> Structure:
    file.seek(0)
    header = file.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        raise BadStructure
    offset, seen = 12, set()
    for _count in range(MAX_ELEMENTS):
        if offset + 8 > size:
            break
        file.seek(offset)
        chunk = file.read(8)
        kind, length = chunk[:4], int.from_bytes(chunk[4:8], "little")
        if not all(0x20 <= byte <= 0x7E for byte in kind):
            raise BadStructure
        seen.add(kind)
        if kind == b"data":
            break  # recorders that stream write a data size they never fix; the samples run to the end
        offset += 8 + length + (length & 1)
    if b"fmt " not in seen or b"data" not in seen:
        raise BadStructure
    return Structure()


def _ogg(file: File[Any], *, size: int) -> Structure:
    offset = 0
    for _count in range(MAX_ELEMENTS):
        if offset == size:
            return Structure()
        file.seek(offset)
        header = file.read(27)
        if len(header) < 27 or header[:4] != b"OggS" or header[4] != 0:
            raise BadStructure
        table = file.read(header[26])
        if len(table) != header[26]:
            raise BadStructure
        offset += 27 + len(table) + sum(table)
        if offset > size:
            raise BadStructure
    raise BadStructure
