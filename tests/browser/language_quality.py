"""Language quality of a rendered page: no English left on Chinese pages, and no
characters of the other script (Simplified on zh-hant, Traditional on zh-hans).

Pure functions over text (unit-tested in tests/quality/), plus ``page_text(page)``
and ``assert_language_quality(page, lang)`` for browser journeys.

Script check, with OpenCC (the official binding):
- On a zh-hant page a character is *Simplified-only* when OpenCC's t2s leaves it
  alone (it is not a Traditional form) and, converting the whole text in context,
  both s2t and s2hk turn it into something else. Requiring both spares characters
  Hong Kong writes in the "simplified-looking" form (台 in 平台, 户, 着, 裏), and
  converting in context spares words where the character is right in both scripts
  (皇后, 面子, 只是).
- On a zh-hans page a character is *Traditional-only* when s2t leaves it alone and
  t2s, in context, changes it.
Characters identical in both scripts (人, 醫/医 aside) never change and never count.

English check: runs of Latin letters not touching digits, after removing e-mail
addresses and web addresses, minus an allow-list of proper names and codes (GBA,
HKID, the language name "English", channel names like WhatsApp) and any names the
caller adds (hospital names in Latin script, a user's name).
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from html.parser import HTMLParser

import opencc

# Proper names and codes that stay in Latin script on Chinese pages.
ALLOWED_LATIN = frozenset({
    "GBA", "HKID", "HK", "MO", "ID", "English", "WhatsApp", "WeChat", "SMS", "TOTP", "QR", "API",
    "HKD", "MOP", "RMB", "CNY",
    # File formats and sizes named on upload and download links ("下載結單（CSV）", "（.ics）", "JPEG、PNG，5 MB").
    "CSV", "ics", "PDF", "JPEG", "PNG", "MB",
    # Language tags the admin puts after a translated field's label ("名稱 [zh-hant]").
    "en", "zh-hant", "zh-hans",
    # Gene and blood-group symbols in medicines' indications (ALK 陽性, Rh 陰性): names, written so in Chinese.
    "ALK", "MET", "FGFR", "NTRK", "Rh",
})

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"(?:https?://|www\.)\S+")
LATIN_WORD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?(?![A-Za-z0-9])")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    return _converter(config).convert(text)


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Latin-script words in `text` that are not proper names or codes, in order of
    first appearance."""
    allow = ALLOWED_LATIN | set(allowed)
    text = URL_RE.sub(" ", EMAIL_RE.sub(" ", text))
    # Allowed names of several words (a hospital's English name) or with other
    # characters (a reference such as TR-7QX9) are removed whole.
    for name in sorted((a for a in allow if not a.isalpha()), key=len, reverse=True):
        text = text.replace(name, " ")
    found: list[str] = []
    for word in LATIN_WORD_RE.findall(text):
        if word in allow or word not in found and _is_code(word):
            continue
        if word not in found:
            found.append(word)
    return found


def _is_code(word: str) -> bool:
    # Single letters (A in "A 座", the "B" of a form's option) are not English prose.
    return len(word) == 1


def _aligned(config: str, text: str):
    """Yield (original char, converted char) for each Han character, converting
    line by line in context; a line whose length changes is converted char by char."""
    for line in text.splitlines():
        if not HAN_RE.search(line):
            continue
        converted = _convert(config, line)
        if len(converted) != len(line):
            converted = "".join(_convert(config, ch) for ch in line)
        for original, new in zip(line, converted, strict=True):
            if HAN_RE.match(original):
                yield original, new


# Forms Hong Kong writes every day that OpenCC's s2hk still converts: 床 (臨床, 病床;
# OpenCC prefers 牀) and
# 群 (群組; OpenCC prefers 羣).
HONG_KONG_FORMS = frozenset("床群")


def simplified_only_characters(text: str) -> list[str]:
    """Characters on a Traditional Chinese page that only Simplified Chinese uses."""
    found: list[str] = list(HONG_KONG_FORMS)
    standard = _aligned("s2t.json", text)
    hong_kong = _aligned("s2hk.json", text)
    for (ch, as_t), (_same, as_hk) in zip(standard, hong_kong, strict=True):
        if ch != as_t and ch != as_hk and _convert("t2s.json", ch) == ch and ch not in found:
            found.append(ch)
    return found[len(HONG_KONG_FORMS):]


def traditional_only_characters(text: str) -> list[str]:
    """Characters on a Simplified Chinese page that only Traditional Chinese uses."""
    found: list[str] = []
    for ch, as_s in _aligned("t2s.json", text):
        if ch != as_s and _convert("s2t.json", ch) == ch and ch not in found:
            found.append(ch)
    return found


def language_problems(text: str, lang: str, allowed: Iterable[str] = ()) -> dict[str, list[str]]:
    """Everything wrong with `text` for a page in `lang` (en, zh-hant, zh-hans)."""
    problems: dict[str, list[str]] = {}
    if lang == "en":
        return problems
    if english := english_words(text, allowed):
        problems["English words"] = english
    if lang == "zh-hant" and (wrong := simplified_only_characters(text)):
        problems["Simplified-only characters"] = wrong
    if lang == "zh-hans" and (wrong := traditional_only_characters(text)):
        problems["Traditional-only characters"] = wrong
    return problems


# --- In the browser -------------------------------------------------------------

_PAGE_TEXT_JS = """(withoutSwitcher) => {
  const switcher = withoutSwitcher ? document.querySelector('.language-switcher') : null;
  // Text marked as written in another language (lang="...") is not the page's language.
  const pageLang = (document.documentElement.lang || '').toLowerCase();
  const marked = [...document.body.querySelectorAll('[lang]')].filter(
    (el) => el.lang && el.lang.toLowerCase() !== pageLang);
  const hidden = switcher ? [switcher, ...marked] : marked;
  const previous = hidden.map((el) => el.style.display);
  hidden.forEach((el) => { el.style.display = 'none'; });
  try {
    const parts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('[placeholder],[aria-label],[alt],[title]')) {
      if (hidden.some((h) => h.contains(el))) continue;
      for (const a of ['placeholder', 'aria-label', 'alt', 'title']) {
        if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
      }
    }
    return parts.join('\\n');
  } finally {
    hidden.forEach((el, i) => { el.style.display = previous[i]; });
  }
}"""


def page_text(page, *, exclude_language_switcher: bool = True) -> str:
    """What a person reads on the page: title, visible text, placeholders and the
    accessible labels a screen reader speaks. The language switcher names each
    language in its own script on purpose, so it is left out by default; text
    marked with another `lang` is left out too (it is not the page's language)."""
    return page.evaluate(_PAGE_TEXT_JS, exclude_language_switcher)


def assert_language_quality(page, lang: str, allowed: Iterable[str] = ()) -> None:
    problems = language_problems(page_text(page), lang, allowed)
    assert not problems, f"{page.url} ({lang}): {problems}"


# --- In a test client's response (no browser) --------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SKIPPED = frozenset({"script", "style", "template", "noscript"})
_SPOKEN_ATTRIBUTES = ("placeholder", "aria-label", "alt", "title")


class _PageText(HTMLParser):
    """What a person reads on a server-rendered page, as `page_text` reads it in a
    browser: the title, the text, placeholders and accessible labels, without
    scripts, hidden elements and the language switcher. Text inside an element
    whose `lang` differs from the page's is marked as another language: it is
    collected apart (`marked`), not checked as the page's language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_language = ""
        self.stack: list[tuple[str, bool, str]] = []  # (tag, skipped, language)
        self.text: list[str] = []
        self.marked: list[tuple[str, str]] = []

    def _state(self) -> tuple[bool, str]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, self.page_language)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped, language = self._state()
        if tag == "html":
            self.page_language = language = attributes.get("lang", "")
        language = attributes.get("lang") or language
        skipped = skipped or tag in _SKIPPED or "hidden" in attributes or (
            tag == "input" and attributes.get("type") == "hidden") or "language-switcher" in (
            attributes.get("class") or "").split()
        if not skipped:
            spoken = [attributes[name] for name in _SPOKEN_ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                spoken.append(attributes["value"])
            for value in spoken:
                self._add(value, language)
        if tag not in _VOID:
            self.stack.append((tag, skipped, language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        skipped, language = self._state()
        if not skipped and data.strip():
            self._add(data, language)

    def _add(self, text: str, language: str) -> None:
        if language and self.page_language and language.lower() != self.page_language.lower():
            self.marked.append((language, text.strip()))
        else:
            self.text.append(text.strip())


def html_text(html: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(the page's language, what a person reads in it, [(language, text)] marked
    as written in another language)."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return parser.page_language, "\n".join(parser.text), parser.marked
