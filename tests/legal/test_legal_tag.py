"""`manage.py legal_tag`: the tagger contract end to end (JSON Lines in, JSON Lines out, exit status)."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

DATA = Path(__file__).parent / "data" / "examples.jsonl"


def examples() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(lines: list[str] | str, *args: str, monkeypatch) -> tuple[list[dict], int]:
    """Run the command on `lines` through stdin; return the output objects and the exit status."""
    text = lines if isinstance(lines, str) else "\n".join(lines) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out = io.StringIO()
    status = 0
    try:
        call_command("legal_tag", *args, stdout=out)
    except SystemExit as exc:
        status = exc.code
    return [json.loads(line) for line in out.getvalue().splitlines()], status


def test_all_examples_pass_from_a_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(e["input"]) for e in examples()) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("legal_tag", str(path), stdout=out)
    outputs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(outputs) == len(examples())
    for example, output in zip(examples(), outputs, strict=True):
        assert {k: output[k] for k in example["expected"]} == example["expected"]
        assert set(output) == {
            "id",
            "applicable",
            "article",
            "part",
            "aggravating",
            "procedure",
            "gravity",
            "fine_kzt",
            "reasons",
            "warnings",
            "also_consider",
        }
        assert output["reasons"] and all(isinstance(r, str) for r in output["reasons"])


def test_examples_from_stdin_with_dash_and_without_file(monkeypatch):
    lines = [json.dumps(e["input"]) for e in examples()]
    without, status_without = run(lines, monkeypatch=monkeypatch)
    dash, status_dash = run(lines, "-", monkeypatch=monkeypatch)
    assert status_without == status_dash == 0
    assert without == dash
    assert [o["id"] for o in without] == [e["input"]["id"] for e in examples()]


@pytest.mark.parametrize(
    ("line", "error_part"),
    [
        ('{"id": "a", "occurred_at": "2026-04-02T10:15", "act": "assault"}', "act must be one of"),
        ('{"id": "b", "occurred_at": "yesterday", "act": "threat"}', "occurred_at"),
        ('{"id": "c", "occurred_at": "2026-04-31", "act": "threat"}', "occurred_at"),
        ('{"id": "d", "occurred_at": "2026-02-30T10:00", "act": "threat"}', "occurred_at"),
        ('{"id": "e", "act": "threat"}', "occurred_at is required"),
        ('{"id": "f", "occurred_at": "2026-04-02T10:15"}', "act is required"),
        (
            '{"id": "g", "occurred_at": "2026-04-02T10:15", "act": "threat", "victims": [{"role": "surgeon", '
            '"duty_link": "performing"}]}',
            "victims[0]",
        ),
        (
            '{"id": "h", "occurred_at": "2026-04-02T10:15", "act": "threat", "victims": [{"role": "nurse", '
            '"duty_link": "lunch"}]}',
            "duty_link",
        ),
        ('{"id": "i", "occurred_at": "2026-04-02T10:15", "act": "threat", "perpetrators": 0}', "perpetrators"),
        ('{"id": "j", "occurred_at": "2026-04-02T10:15", "act": "threat", "perpetrators": "2"}', "perpetrators"),
        ('{"id": "k", "occurred_at": "2026-04-02T10:15", "act": "threat", "perpetrators": 1.5}', "perpetrators"),
        ('{"id": "l", "occurred_at": "2026-04-02T10:15", "act": "threat", "perpetrators": true}', "perpetrators"),
        ('{"id": "m", "occurred_at": "2026-04-02T10:15", "act": "threat", "repeat": "yes"}', "repeat"),
        ('{"id": "n", "occurred_at": "2026-04-02T10:15", "act": "threat", "victims": {"role": "nurse"}}', "victims"),
        (
            '{"id": "o", "occurred_at": "2026-04-02T10:15", "act": "threat", "victims": [{"duty_link": "performing"}]}',
            "role is required",
        ),
        ('{"id": "p", "occurred_at": "2026-04-02T10:15", "act": "threat", "circumstances": ["war"]}', "circumstances"),
        ('{"id": "q", "occurred_at": "2026-04-02T10:15", "act": "threat", "harm": "broken"}', "harm"),
        ('{"id": "r", "occurred_at": "2026-04-02T10:15", "act": "threat", "perpetrator": 2}', "unknown field"),
        ('{"id": "s", "occurred_at": 20260402, "act": "threat"}', "occurred_at"),
        ('{"id": "t", "occurred_at": "2026-04-02T10:15", "act": "threat", "suspect_minor": null}', "suspect_minor"),
    ],
)
def test_malformed_line_gets_an_error_object_and_the_rest_go_on(line, error_part, monkeypatch):
    good = '{"id": "good", "occurred_at": "2026-04-02T10:15", "act": "threat"}'
    outputs, status = run([good, line, good], monkeypatch=monkeypatch)
    assert status == 1
    assert [o["id"] for o in outputs] == ["good", json.loads(line)["id"], "good"]
    assert set(outputs[1]) == {"id", "error"}
    assert error_part in outputs[1]["error"]
    assert outputs[0]["part"] == outputs[2]["part"] == 1


@pytest.mark.parametrize(
    ("line", "expected_id"),
    [
        ("{not json", None),
        ("[1, 2]", None),
        ('"just a string"', None),
        ('{"occurred_at": "2026-04-02T10:15", "act": "threat"}', None),
        ('{"id": 7, "occurred_at": "2026-04-02T10:15", "act": "threat"}', 7),
    ],
)
def test_unparseable_lines_and_bad_ids(line, expected_id, monkeypatch):
    outputs, status = run([line], monkeypatch=monkeypatch)
    assert status == 1
    assert outputs == [{"id": expected_id, "error": outputs[0]["error"]}]
    assert outputs[0]["error"]


def test_blank_lines_are_skipped(monkeypatch):
    text = '\n{"id": "x", "occurred_at": "2026-04-02T10:15", "act": "threat"}\n   \n\n'
    outputs, status = run(text, monkeypatch=monkeypatch)
    assert status == 0 and [o["id"] for o in outputs] == ["x"]


def test_byte_order_mark_is_ignored(monkeypatch):
    outputs, status = run(
        '\ufeff{"id": "x", "occurred_at": "2026-04-02T10:15", "act": "threat"}\n', monkeypatch=monkeypatch
    )
    assert status == 0 and outputs[0]["part"] == 1


def test_empty_input_gives_no_output_and_success(monkeypatch):
    assert run("", monkeypatch=monkeypatch) == ([], 0)


# A word each language's sentences must use, and letters the others must not (Kazakh-only letters for kk).
LANGUAGE_MARKS = {
    "ru": ("статьи 380-3", re.compile(r"[әғқңөұүһі]", re.I)),
    "kk": ("380-3-бап", re.compile(r"[a-z]{4}", re.I)),
    "en": ("Article 380-3", re.compile(r"[а-яёәғқңөұүһі]", re.I)),
}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_language_option_renders_sentences_in_that_language(language, monkeypatch):
    line = '{"id": "x", "occurred_at": "2026-04-02T10:15", "act": "violence", "harm": "grave"}'
    outputs, status = run([line], "--language", language, monkeypatch=monkeypatch)
    assert status == 0 and outputs[0]["part"] == 5
    assert outputs[0]["reasons"] and outputs[0]["warnings"] and outputs[0]["also_consider"]
    word, foreign = LANGUAGE_MARKS[language]
    sentences = outputs[0]["reasons"] + outputs[0]["warnings"] + outputs[0]["also_consider"]
    assert word in " ".join(sentences)
    for sentence in sentences:
        assert not foreign.search(sentence), (language, sentence)
    # The verdict fields are codes, the same whatever the language.
    english, _ = run([line], monkeypatch=monkeypatch)
    assert {k: v for k, v in outputs[0].items() if k not in ("reasons", "warnings", "also_consider")} == {
        k: v for k, v in english[0].items() if k not in ("reasons", "warnings", "also_consider")
    }


def test_unknown_language_is_refused(monkeypatch):
    with pytest.raises(CommandError):
        run(["{}"], "--language", "de", monkeypatch=monkeypatch)


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("legal_tag", str(tmp_path / "missing.jsonl"), stdout=io.StringIO())


def test_real_process_exit_status_and_order():
    """The command as a lawyer runs it: a separate process, stdin in, stdout out, status 1 on a bad line."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    lines = [json.dumps(e["input"]) for e in examples()]
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    ok = subprocess.run(
        [sys.executable, manage, "legal_tag"],
        input="\n".join(lines) + "\n",
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert [json.loads(x)["part"] for x in ok.stdout.splitlines()] == [e["expected"]["part"] for e in examples()]
    bad = subprocess.run(
        [sys.executable, manage, "legal_tag", "-"],
        input=lines[0] + "\nnope\n" + lines[1] + "\n",
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert [json.loads(x).get("id") for x in bad.stdout.splitlines()] == [
        "ex01-threat-basic",
        None,
        "ex02-threat-two-perpetrators",
    ]


def test_a_date_alone_is_the_almaty_calendar_date(monkeypatch):
    lines = [
        '{"id": "before", "occurred_at": "2026-03-06", "act": "threat"}',
        '{"id": "on", "occurred_at": "2026-03-07", "act": "threat"}',
    ]
    outputs, status = run(lines, monkeypatch=monkeypatch)
    assert status == 0
    assert [o["applicable"] for o in outputs] == [False, True]


def test_a_victim_without_duty_link_is_taken_as_performing_duties(monkeypatch):
    line = '{"id": "v", "occurred_at": "2026-04-02T10:15", "act": "threat", "victims": [{"role": "doctor"}]}'
    outputs, status = run([line], monkeypatch=monkeypatch)
    assert status == 0
    assert outputs[0]["applicable"] is True and outputs[0]["part"] == 1
