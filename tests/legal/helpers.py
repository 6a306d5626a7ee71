"""Shared helpers for the legal tests."""

from typing import Any

from legal.facts import parse_facts
from legal.messages import as_contract
from legal.rules import assess


def tag(**fields: Any) -> dict[str, Any]:
    """The contract output for one input object (English sentences), as the command would print it."""
    fields.setdefault("occurred_at", "2026-05-10T12:00")
    fields.setdefault("act", "violence")
    return as_contract(assess(parse_facts(fields)), "en")


def nurse(duty_link: str = "performing") -> dict[str, str]:
    return {"role": "nurse", "duty_link": duty_link}
