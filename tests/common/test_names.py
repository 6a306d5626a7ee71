"""A name's search key (`common.names.name_key`): one spelling for Cyrillic and Latin, case, ё/е and Kazakh letters."""

import pytest

from common.names import name_key, name_key_words


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Иванов Иван", "Ivanov Ivan"),
        ("Ахметов Ерлан", "Akhmetov Yerlan"),
        ("Ахметов", "Ahmetov"),
        ("Сергей", "Sergey"),
        ("Сергей", "Sergei"),
        ("Юлия", "Yuliya"),
        ("Юлия", "Iuliia"),
        ("Фёдоров", "Fyodorov"),
        ("Цой", "Tsoy"),
        ("Цой", "Tsoi"),
        ("Жанар", "Zhanar"),
        ("Жанар", "Janar"),  # Kazakh Latin
        ("Қасымов", "Kasymov"),
        ("Қасымов", "Qasymov"),
        ("Қасымов", "Касимов"),
        ("Әлібек", "Alibek"),
        ("Нұрлан", "Nurlan"),
        ("Өмірзақ", "Omirzak"),
        ("Шәріп", "Şärip"),
        ("Ильяс", "Ilyas"),
        ("Дмитрий", "Dmitriy"),
        ("Максим", "Maxim"),
        ("Аскар", "Askar"),
    ],
)
def test_cyrillic_and_latin_spellings_have_one_key(cyrillic, latin):
    assert name_key(cyrillic) == name_key(latin)


def test_case_and_yo_are_ignored():
    assert name_key("ПЁТР СЕМЁНОВ") == name_key("петр семенов") == name_key("Пётр Семёнов") == "petr semenov"


def test_punctuation_and_spaces_separate_words():
    assert name_key("  Абдрахманова-Ким,  А.\u00a0Б. ") == "abdrahmanova kim a b"
    assert name_key_words("О'Нил  Ли") == ["onil", "li"]


def test_a_doubled_letter_counts_once():
    assert name_key("Алла Ахметтова") == name_key("Ala Akhmetova")


def test_blank_gives_a_blank_key():
    assert name_key("") == "" and name_key(" - . ") == ""
    assert name_key_words("   ") == []
