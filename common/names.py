"""A person's name as a search key: one spelling for Cyrillic (Russian and Kazakh) and Latin, whatever the case.

Names reach Qorgau typed by nurses in Cyrillic and by officers from documents in Latin: «Ахметов Ерлан»,
"AKHMETOV YERLAN", "Ahmetov Erlan". `name_key` reduces each to the same lowercase Latin skeleton,
so that a search for one finds the others: Cyrillic is transliterated letter by letter (ё as е, the Kazakh
letters as their nearest Russian ones), then the spelling variants of Latin are folded (kh/h, ts/c, y/i,
ya/ia, ye/e, the Kazakh Latin letters) and a doubled letter counts once. The key is stored beside the name
and searched by substring, so it is made only here: the stored keys and the typed query agree.
"""

import re
import unicodedata

# Cyrillic, Russian and Kazakh, to Latin (close to ICAO Doc 9303, as in Kazakhstan's passports; ё is е).
CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Kazakh.
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "і": "i",
}
# Letters of Kazakh Latin (2021) and Turkish-style spellings that Unicode does not decompose into a base letter.
LATIN_LETTERS = {"ş": "sh", "ç": "ch", "ğ": "g", "ñ": "n", "ı": "i", "ä": "a", "ö": "o", "ü": "u", "ú": "u"}
# Spelling variants of one sound, folded in this order (a longer pattern before its parts).
LATIN_VARIANTS = (
    ("kh", "h"),
    ("ts", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("j", "zh"),  # Kazakh Latin writes Ж as J (Janar, Jandos)
    ("yo", "e"),
    ("ye", "e"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("y", "i"),
)
_NOT_LETTER = re.compile(r"[^a-z]+")
_DOUBLED = re.compile(r"([a-z])\1+")


def name_key(text: str) -> str:
    """The search key of a name (or of a query): lowercase Latin words separated by single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(CYRILLIC_TO_LATIN.get(char, LATIN_LETTERS.get(char, char)) for char in text)
    # Other accents (é, à) are dropped; letters of no script above become separators.
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = text.replace("'", "").replace("’", "").replace("ʼ", "")
    for variant, folded in LATIN_VARIANTS:
        text = text.replace(variant, folded)
    text = _DOUBLED.sub(r"\1", text)
    return " ".join(_NOT_LETTER.split(text)).strip()


def name_key_words(text: str) -> list[str]:
    """The words of a query's key, each to be found in a person's key."""
    return name_key(text).split()
