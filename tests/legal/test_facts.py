"""The facts (`legal/facts.py`): checked when built, whatever builds them."""

import datetime as dt

import pytest

from legal.facts import Facts, FactsError, Victim


def test_facts_are_validated_when_built_directly():
    with pytest.raises(FactsError):
        Facts(occurred_at=dt.datetime(2026, 6, 1, 10, 0), act="assault")
    with pytest.raises(FactsError):
        Victim("surgeon")
    with pytest.raises(FactsError):
        Facts(occurred_at=dt.datetime(2026, 6, 1, 10, 0), act="threat", perpetrators=0)
