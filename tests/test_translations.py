"""The Russian and Kazakh translations are complete and match the code's strings."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ["ru", "kk"]


def po_path(base: Path, language: str) -> Path:
    return base / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = polib.pofile(str(po_path(settings.BASE_DIR, language)))
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert missing == [], f"{len(missing)} {language} strings untranslated or fuzzy, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    po = polib.pofile(str(po_path(settings.BASE_DIR, language)))
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    broken = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue  # a singular form may legitimately drop the number
        if sorted(pattern.findall(entry.msgstr)) != sorted(pattern.findall(entry.msgid)):
            broken.append((entry.msgid, entry.msgstr))
    assert broken == []


@pytest.mark.slow
def test_po_files_are_current_with_the_code(tmp_path):
    """makemessages on a copy of the tree adds no new msgid: nobody forgot to update the translations."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (make install installs it)")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "tree"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "staticfiles", "node_modules", "__pycache__", "*.mo", ".pytest_cache", "db.sqlite3"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=static/*",
            "--ignore=staticfiles/*",
            "--ignore=tests/*",
            "--ignore=scripts/*",
            "--ignore=var/*",
            "--ignore=docs/*",
            *sum((["-l", lang] for lang in LANGUAGES), []),
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path(base, language))) if not e.obsolete}
        fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path(copy, language))) if not e.obsolete}
        assert sorted(fresh - committed, key=str) == [], f"{language}: strings missing from the .po file"
