"""The catalogue of sentences and labels (`legal/sentences.py`) is translated."""


def test_every_catalogue_sentence_and_label_is_translated_to_russian_and_kazakh():
    from django.utils import translation
    from django.utils.translation import gettext

    from legal.sentences import CATALOGUE, LABELS

    for language in ("ru", "kk"):
        with translation.override(language):
            untranslated = [code for code, text in CATALOGUE.items() if gettext(text) == text]
            untranslated += [
                f"{kind}:{code}"
                for kind, labels in LABELS.items()
                for code, text in labels.items()
                if gettext(text) == text
            ]
        assert untranslated == [], language
