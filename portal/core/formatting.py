"""How the portal writes money, phone numbers, dates and times, lists and
label colons, in each of its languages: the one rule every page, message, API
text and admin screen uses (docs/decisions/0070-one-formatting-rule.md).

Templates use the filters in portal/core/templatetags/formatting.py, which call
these functions; Django's own named formats (DATE_FORMAT, ...) come from the
same table through portal/core/formats/<language>/formats.py, so the admin and
the `date` filter agree with them. Each function formats in the active language
(notifications are rendered under `translation.override(recipient language)`).

- Money: "HK$2,000", "MOP 600", "RMB 185.50" in English; 「港幣 2,000 元」,
  「澳門元 600 元」, 「人民幣 185.50 元」 in Chinese, the way Hong Kong, Macao and
  mainland notices write amounts in running text. Integers (voucher dollars,
  published fees) have no cents; decimals (a fee, a converted amount) always
  show two places.
- Phone numbers: the international format (+852 9123 4567, +86 20 1234 5678)
  everywhere, because our readers cross a border and dial from either side.
- Dates and times: one style per language, 3 December 2026, 14:30 /
  2026年12月3日 14:30, on the 24-hour clock.
- Lists: "、" between items in Chinese, ", " in English; a label's colon is
  full-width "：" in Chinese.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.utils import dateformat, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime

# Named formats per language family ("en" or "zh"), in Django's date syntax.
FORMATS = {
    "en": {
        "date": "j F Y",
        "datetime": "j F Y, H:i",
        "time": "H:i",
        "month": "F Y",
        "year": "Y",
        "day": "l j F Y",
        "day_time": "l j F Y, H:i",
    },
    "zh": {
        "date": "Y年n月j日",
        "datetime": "Y年n月j日 H:i",
        "time": "H:i",
        "month": "Y年n月",
        "year": "Y年",
        "day": "Y年n月j日（l）",
        "day_time": "Y年n月j日（l）H:i",
    },
}

# Currency codes the portal shows, and how each language writes an amount.
# English puts the symbol or code before the figure; Chinese names the currency
# and ends with 元.
CURRENCIES = {
    "HKD": {"en": "HK${amount}", "zh-hant": "港幣 {amount} 元", "zh-hans": "港币 {amount} 元"},
    "MOP": {"en": "MOP {amount}", "zh-hant": "澳門元 {amount} 元", "zh-hans": "澳门元 {amount} 元"},
    "RMB": {"en": "RMB {amount}", "zh-hant": "人民幣 {amount} 元", "zh-hans": "人民币 {amount} 元"},
}
CURRENCY_ALIASES = {"CNY": "RMB", "HK$": "HKD"}

MINUS = "\u2212"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_LETTERS = re.compile(r"[A-Za-z]{2,}")


def _language() -> str:
    language = translation.get_language() or "en"
    return language if language in ("zh-hant", "zh-hans") else "en"


def _family() -> str:
    return "zh" if _language().startswith("zh") else "en"


def is_chinese() -> bool:
    return _family() == "zh"


# --- Money ------------------------------------------------------------------------

def _figure(value) -> str | None:
    """1,234 for whole amounts held as integers; 1,234.50 for decimals."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value:,}"
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if isinstance(value, str) and number == number.to_integral_value() and "." not in value:
        return f"{int(number):,}"
    return f"{number.quantize(Decimal('0.01')):,}"


def money(value, currency: str = "HKD", *, signed: bool = False) -> str:
    """An amount in `currency` (HKD, MOP or RMB) written the way the active
    language writes it; signed: +HK$500 / −HK$108 (a true minus sign)."""
    figure = _figure(value)
    if figure is None:
        return ""
    code = CURRENCY_ALIASES.get(currency, currency)
    negative = figure.startswith("-")
    figure = figure.lstrip("-")
    text = CURRENCIES[code][_language()].format(amount=figure)
    if negative:
        return MINUS + text
    return ("+" + text) if signed else text


# --- Phone numbers ------------------------------------------------------------------

def phone(value, region: str = "HK") -> str:
    """+852 9123 4567. A number phonenumbers cannot read is shown as stored."""
    if value in (None, ""):
        return ""
    raw = str(value)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(number):
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_link(value, region: str = "HK") -> str:
    """The tel: address of a phone number (E.164), or "" if it cannot be read."""
    if value in (None, ""):
        return ""
    try:
        number = phonenumbers.parse(str(value), region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- Dates and times -------------------------------------------------------------------

def _moment(value):
    """A date, datetime or time; ISO text (as stored in a message's context) is read."""
    if isinstance(value, str):
        return parse_datetime(value) or parse_date(value)
    return value


def when(value, style: str = "datetime") -> str:
    """`value` in one of the named styles of FORMATS: date, datetime, time,
    month, year, day (date with weekday), day_time. Aware datetimes are shown in the
    portal's time zone (Hong Kong time)."""
    value = _moment(value)
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    elif isinstance(value, date):
        if style in ("datetime", "day_time", "time"):
            style = {"datetime": "date", "day_time": "day"}.get(style, style)
    elif not isinstance(value, time):
        return str(value)
    return dateformat.format(value, FORMATS[_family()][style])


# --- Lists and punctuation -----------------------------------------------------------

def listing(items) -> str:
    """Items joined the way the active language lists them: 粵語、普通話 / Cantonese, Putonghua."""
    separator = "、" if is_chinese() else ", "
    return separator.join(str(item) for item in items if item not in (None, ""))


def text_language(text) -> str:
    """The language of text people typed (a name, a note) when it is not the page's:
    Chinese in the other script, or Latin letters only on a Chinese page; "" when
    the page's language fits it. For a `lang` attribute on the text."""
    from portal.core.chinese import script_of

    text = str(text or "")
    page = _language()
    if HAN.search(text):
        script = script_of(text) or ("" if page != "en" else "zh")
        return script if script != page else ""
    if LATIN_LETTERS.search(text) and page != "en":
        return "en"
    return ""


def colon() -> str:
    """The colon after a label: full width in Chinese."""
    return "：" if is_chinese() else ": "
