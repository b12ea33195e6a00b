"""The normalisation both the stored keys and the queries go through."""

from portal.hospitals.search import build_key, normalise, query_terms


def test_traditional_and_simplified_normalise_to_the_same_text():
    assert normalise("香港大學深圳醫院") == normalise("香港大学深圳医院")


def test_chinese_is_stored_as_character_pairs_plus_the_last_character():
    assert normalise("屯門醫院") == "屯门 门医 医院 院"


def test_latin_text_is_case_folded_words():
    assert normalise("Tuen Mun HOSPITAL (HK)") == "tuen mun hospital hk"


def test_query_terms_split_latin_words_and_pair_chinese_runs():
    assert query_terms("Tuen 屯門醫院") == ["tuen", "屯门 门医 医院"]


def test_key_keeps_each_distinct_name_between_separators():
    assert build_key(["Tuen Mun", "屯門", "屯门"]) == "| tuen mun | 屯门 门 |"
