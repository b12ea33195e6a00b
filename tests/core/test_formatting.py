"""The one formatting rule (portal/core/formatting.py), rule by rule, in each language."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.core import formatting

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(("language", "value", "currency", "expected"), [
    ("en", 2000, "HKD", "HK$2,000"),
    ("en", Decimal("185.5"), "RMB", "RMB 185.50"),
    ("en", 600, "MOP", "MOP 600"),
    ("zh-hant", 2000, "HKD", "港幣 2,000 元"),
    ("zh-hant", Decimal("185.50"), "RMB", "人民幣 185.50 元"),
    ("zh-hant", 600, "MOP", "澳門元 600 元"),
    ("zh-hans", 2000, "HKD", "港币 2,000 元"),
    ("zh-hans", Decimal("185.50"), "CNY", "人民币 185.50 元"),
    ("zh-hans", 600, "MOP", "澳门元 600 元"),
])
def test_money_in_each_language(language, value, currency, expected):
    with translation.override(language):
        assert formatting.money(value, currency) == expected


def test_whole_amounts_have_no_cents_and_decimals_always_two_places():
    with translation.override("en"):
        assert formatting.money(1234567) == "HK$1,234,567"
        assert formatting.money(Decimal("100")) == "HK$100.00"
        assert formatting.money("1892") == "HK$1,892"  # a figure stored in a message's context
        assert formatting.money("108.5") == "HK$108.50"
        assert formatting.money(500, signed=True) == "+HK$500"
        assert formatting.money(-108, signed=True) == "\u2212HK$108"
        assert formatting.money(None) == formatting.money("") == formatting.money("n/a") == ""
    with translation.override("zh-hant"):
        assert formatting.money(-108, signed=True) == "\u2212港幣 108 元"


@pytest.mark.parametrize(("raw", "expected"), [
    ("+85291234567", "+852 9123 4567"),
    ("+85366123456", "+853 6612 3456"),
    ("+8613800138000", "+86 138 0013 8000"),
    ("91234567", "+852 9123 4567"),  # a local number is read as Hong Kong's
])
def test_phone_numbers_in_international_format(raw, expected):
    assert formatting.phone(raw) == expected
    assert formatting.phone_link(raw) == "tel:" + expected.replace(" ", "")


def test_a_phone_number_that_cannot_be_read_is_shown_as_stored():
    assert formatting.phone("ask at the desk") == "ask at the desk"
    assert formatting.phone_link("ask at the desk") == ""


MOMENT = datetime(2026, 12, 3, 6, 30, tzinfo=UTC)  # 14:30 in Hong Kong


@pytest.mark.parametrize(("language", "style", "expected"), [
    ("en", "datetime", "3 December 2026, 14:30"),
    ("en", "date", "3 December 2026"),
    ("en", "day", "Thursday 3 December 2026"),
    ("en", "month", "December 2026"),
    ("en", "time", "14:30"),
    ("zh-hant", "datetime", "2026年12月3日 14:30"),
    ("zh-hant", "day", "2026年12月3日（星期四）"),
    ("zh-hans", "date", "2026年12月3日"),
    ("zh-hans", "month", "2026年12月"),
    ("zh-hans", "day_time", "2026年12月3日（星期四）14:30"),
])
def test_dates_and_times_one_style_per_language(language, style, expected):
    with translation.override(language):
        assert formatting.when(MOMENT, style) == expected


def test_dates_from_a_messages_context_and_plain_dates():
    with translation.override("en"):
        assert formatting.when(MOMENT.isoformat()) == "3 December 2026, 14:30"
        assert formatting.when("2026-12-03", "date") == "3 December 2026"
        assert formatting.when(date(2026, 12, 3)) == "3 December 2026"  # a date has no time to show
        assert formatting.when(None) == ""


def test_djangos_named_formats_follow_the_same_table():
    """The admin and the `date` filter use DATE_FORMAT and DATETIME_FORMAT."""
    template = Template('{{ moment|date:"DATETIME_FORMAT" }}')
    for language in ("en", "zh-hant", "zh-hans"):
        with translation.override(language):
            assert template.render(Context({"moment": MOMENT})) == formatting.when(MOMENT)


@pytest.mark.parametrize(("language", "listed", "colon"), [
    ("en", "Cantonese, English", ": "),
    ("zh-hant", "Cantonese、English", "："),
    ("zh-hans", "Cantonese、English", "："),
])
def test_list_separator_and_colon(language, listed, colon):
    with translation.override(language):
        assert formatting.listing(["Cantonese", "", "English"]) == listed
        assert formatting.colon() == colon


def test_the_template_filters_call_the_same_rule():
    template = Template('{% load formatting %}{{ fee|money:"RMB" }}|{{ n|signed_money }}|{{ tel|phone }}|'
                        '{{ at|when:"date" }}|{{ items|listing }}|{% colon %}')
    with translation.override("zh-hant"):
        rendered = template.render(Context({"fee": Decimal("185.5"), "n": 500, "tel": "+85291234567", "at": MOMENT,
                                            "items": ["粵語", "普通話"]}))
    assert rendered == "人民幣 185.50 元|+港幣 500 元|+852 9123 4567|2026年12月3日|粵語、普通話|："


def test_other_language_marks_only_text_in_another_language():
    template = Template("{% load formatting %}[{{ code|other_language }}]")
    with translation.override("en"):
        assert template.render(Context({"code": "zh-hant"})) == "[zh-hant]"
        assert template.render(Context({"code": "en"})) == "[]"
