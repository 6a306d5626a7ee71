"""The assessment's sentences rendered (`legal/messages.py`): every reason, warning and suggestion, in every
language."""

import datetime as dt
import json

from legal.facts import Facts, Victim
from legal.messages import as_contract
from legal.rules import assess


def test_every_reason_warning_and_suggestion_renders_in_every_language():
    facts = Facts(
        occurred_at=dt.datetime(2026, 6, 1, 10, 0),
        act="violence",
        harm="death",
        victims=(Victim("nurse"), Victim("orderly")),
        perpetrators=2,
        repeat=True,
        repeat_of=("A-1",),
        suspect_identified=False,
    )
    result = assess(facts)
    english = as_contract(result, "en")
    for language in ("ru", "kk", "en"):
        rendered = as_contract(result, language)
        assert all(rendered["reasons"]) and all(rendered["warnings"]) and all(rendered["also_consider"])
        assert "%(" not in json.dumps(rendered, ensure_ascii=False)
        if language != "en":
            # Every sentence is translated, not left in English.
            for key in ("reasons", "warnings", "also_consider"):
                for sentence, source in zip(rendered[key], english[key], strict=True):
                    assert sentence != source, (language, sentence)
