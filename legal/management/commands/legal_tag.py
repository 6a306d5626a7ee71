"""`manage.py legal_tag [FILE]`: JSON Lines of incident facts in, one Article 380-3 assessment per line out.

The contract is ARTICLE-380-3.md, section 5: output in input order, a bad line gets
`{"id": ..., "error": "..."}` and the rest go on, exit status 1 if any line had an error.
"""

import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legal.facts import FactsError, parse_facts
from legal.messages import as_contract
from legal.rules import assess

LANGUAGES = ("ru", "kk", "en")


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice: which value was meant is unknown."""


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python's json keeps the last value silently; the value decides the part, so a repeat is refused.
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise DuplicateKeyError(key)
        data[key] = value
    return data


def tag_line(line: str, *, language: str) -> tuple[dict[str, Any], bool]:
    """The output object for one input line, and whether it is an error."""
    try:
        data = json.loads(line, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not valid JSON: {exc.msg} at column {exc.colno}"}, True
    except DuplicateKeyError as exc:
        # Refused like an unknown field; the id is read back only when it is not itself repeated.
        line_id = None
        if str(exc) != "id":
            try:
                first = json.loads(line)
                line_id = first.get("id") if isinstance(first, dict) and isinstance(first.get("id"), str) else None
            except ValueError:
                line_id = None
        return {"id": line_id, "error": f"duplicate field {str(exc)!r}"}, True
    line_id = data.get("id") if isinstance(data, dict) else None
    try:
        if not isinstance(data, dict):
            raise FactsError("each line must be a JSON object")
        if "id" not in data:
            raise FactsError("id is required")
        if not isinstance(line_id, str):
            raise FactsError("id must be a string")
        facts = parse_facts(data)
        return {"id": line_id, **as_contract(assess(facts), language)}, False
    except FactsError as exc:
        return {"id": line_id, "error": str(exc)}, True
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a datetime out of range
        return {"id": line_id, "error": f"cannot assess: {exc}"}, True


class Command(BaseCommand):
    help = "Tag incident facts (JSON Lines, from FILE or standard input) with their Article 380-3 part."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="JSON Lines file; '-' or nothing for stdin")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="en",
            help="language of reasons, warnings and also_consider (default: en)",
        )

    def handle(self, *args: Any, file: str, language: str, **options: Any) -> None:
        if file == "-":
            failed = self.tag_stream(sys.stdin, language=language)
        else:
            try:
                stream = open(file, encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
            with stream:
                failed = self.tag_stream(stream, language=language)
        if failed:
            sys.exit(1)

    def tag_stream(self, stream: TextIO, *, language: str) -> bool:
        failed = False
        try:
            for number, line in enumerate(stream):
                if number == 0:
                    line = line.removeprefix("\ufeff")  # a byte-order mark some editors write
                if not line.strip():
                    continue
                result, error = tag_line(line, language=language)
                failed |= error
                self.stdout.write(json.dumps(result, ensure_ascii=False))
                self.stdout.flush()
        except UnicodeDecodeError as exc:
            self.stdout.write(json.dumps({"id": None, "error": f"input is not UTF-8: {exc.reason}"}))
            return True
        return failed
