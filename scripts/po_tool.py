"""Helps keep the Russian and Kazakh translations complete.

python scripts/po_tool.py export ru > /tmp/ru.json   # untranslated or fuzzy entries as JSON
python scripts/po_tool.py import ru /tmp/ru.json     # write translations back
python scripts/po_tool.py stats                      # counts per language
"""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def po_file(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def export(language: str) -> None:
    entries = []
    for entry in po_file(language):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if entry.fuzzy or not all(entry.msgstr_plural.values()):
                entries.append(
                    {
                        "msgid": entry.msgid,
                        "msgid_plural": entry.msgid_plural,
                        "msgctxt": entry.msgctxt,
                        "msgstr_plural": entry.msgstr_plural,
                    }
                )
        elif entry.fuzzy or not entry.msgstr:
            entries.append({"msgid": entry.msgid, "msgctxt": entry.msgctxt, "msgstr": ""})
    json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)


def import_(language: str, path: str) -> None:
    po = po_file(language)
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    index = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    updated = 0
    for item in translations:
        entry = index.get((item.get("msgctxt"), item["msgid"]))
        if entry is None:
            continue
        if "msgstr_plural" in item:
            entry.msgstr_plural = {int(k): v for k, v in item["msgstr_plural"].items()}
        elif item.get("msgstr"):
            entry.msgstr = item["msgstr"]
        else:
            continue
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        updated += 1
    po.save()
    print(f"{language}: {updated} entries updated", file=sys.stderr)


def stats() -> None:
    for language in ("ru", "kk"):
        po = po_file(language)
        print(
            f"{language}: {po.percent_translated()}% translated, {len(po.untranslated_entries())} untranslated, "
            f"{len(po.fuzzy_entries())} fuzzy"
        )


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["stats"]
    {"export": export, "import": import_, "stats": stats}[command](*args)
