"""The language-quality helpers used by the browser journeys, on small strings."""

import pytest

from tests.browser.language_quality import (
    english_words,
    language_problems,
    simplified_only_characters,
    traditional_only_characters,
)


def test_english_words_are_found_on_chinese_text():
    assert english_words("預約 Appointments 已確認，Sign in 後查看") == ["Appointments", "Sign", "in"]


@pytest.mark.parametrize("text", [
    "以 WhatsApp 通知我",
    "請聯絡 chan.taiman@example.com 或瀏覽 https://www.gov.hk/tc/",
    "香港身份證號碼：A123456(7)，澳門身份證 1234567(8)",
    "大灣區（GBA）跨境醫療",
    "English",
    "在內地請致電 120，在香港請致電 999。",
    "B 座 3 樓",
])
def test_proper_names_codes_addresses_and_numbers_are_allowed(text):
    assert english_words(text) == []


def test_caller_adds_proper_names_such_as_hospital_names():
    text = "The University of Hong Kong-Shenzhen Hospital（香港大學深圳醫院）"
    assert english_words(text) == ["The", "University", "of", "Hong", "Kong-Shenzhen", "Hospital"]
    assert english_words(text, allowed=["The University of Hong Kong-Shenzhen Hospital"]) == []


def test_simplified_characters_on_a_traditional_page():
    assert simplified_only_characters("跨境求醫，簡單易用") == []
    assert simplified_only_characters("跨境求医，简单易用") == ["医", "简", "单"]
    assert simplified_only_characters("預約醫生后，請帶备身份證") == ["后", "备"]


@pytest.mark.parametrize("text", [
    "皇后大道中",        # 后 is right here in both scripts
    "大灣區跨境醫療平台",  # Hong Kong writes 台
    "只是面子問題",      # identical in both scripts
    "我的户口",          # the Hong Kong standard form
    "裏面", "着數",      # Hong Kong variants
])
def test_characters_hong_kong_writes_are_not_flagged(text):
    assert simplified_only_characters(text) == []


def test_traditional_characters_on_a_simplified_page():
    assert traditional_only_characters("跨境就医，简单易用") == []
    assert traditional_only_characters("跨境就醫，簡單易用") == ["醫", "簡", "單"]
    assert traditional_only_characters("预约之後请带身份证") == ["後"]


@pytest.mark.parametrize("text", ["皇后大道", "著名医院", "面包", "只有一个", "干净"])
def test_characters_right_in_simplified_are_not_flagged(text):
    assert traditional_only_characters(text) == []


def test_language_problems_summarises_by_kind():
    assert language_problems("Care across the border", "en") == {}
    assert language_problems("跨境求醫，简单易用 Sign in", "zh-hant") == {
        "English words": ["Sign", "in"],
        "Simplified-only characters": ["简", "单"],
    }
    assert language_problems("跨境就医，簡單易用", "zh-hans") == {"Traditional-only characters": ["簡", "單"]}


def test_hong_kong_writes_chuang_in_clinical():
    from tests.browser.language_quality import simplified_only_characters

    assert simplified_only_characters("已完成臨床評估") == []
    assert simplified_only_characters("临床评估") != []


def test_html_text_reads_what_a_person_reads_and_keeps_marked_text_apart():
    from tests.browser.language_quality import html_text

    html = """<!DOCTYPE html><html lang="zh-hant"><head><title>訊息</title><script>var x = "English";</script></head>
    <body><p>你好<br>歡迎</p><img src="a.png" alt="地圖"><input type="hidden" value="Hidden">
    <div hidden>Not shown</div><div class="language-switcher"><a>English</a></div>
    <article lang="zh-hans">欢迎使用</article><span lang="EN">CHAN Tai Man</span>
    <input type="submit" value="Send"></body></html>"""
    language, text, marked = html_text(html)
    assert language == "zh-hant"
    assert text.split("\n") == ["訊息", "你好", "歡迎", "地圖", "Send"]
    assert marked == [("zh-hans", "欢迎使用"), ("EN", "CHAN Tai Man")]
