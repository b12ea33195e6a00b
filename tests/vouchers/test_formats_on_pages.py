"""Issue 18 item 3: a page in each language follows the one formatting rule
(portal.core.formatting): money, dates, phone numbers, lists and label colons."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from portal.core import formatting
from portal.vouchers import services

LANGUAGES = ["en", "zh-hant", "zh-hans"]


@pytest.fixture
def pending(hospital_admin, elder, department, rates):
    claim, _code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("185.50"),
                                         visit_reference="APT-1")
    return claim


def _expected(language, function, *args):
    with translation.override(language):
        return function(*args)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_voucher_page_writes_money_and_dates_one_way(client_for, elder, pending, simulator, language):
    page = client_for(elder).get(f"/{language}/vouchers/").content.decode()
    fee = _expected(language, formatting.money, Decimal("185.50"), "RMB")
    assert fee in page  # RMB 185.50 / 人民幣 185.50 元 / 人民币 185.50 元
    assert _expected(language, formatting.money, pending.fee_hkd) in page
    assert _expected(language, formatting.money, pending.voucher_amount) in page
    assert _expected(language, formatting.when, pending.service_date, "date") in page
    assert _expected(language, formatting.when, pending.expires_at) in page
    if language == "en":
        assert "人民" not in page and "港幣" not in page
    else:
        # No currency sign or code written the English way, no ISO date, in a Chinese page's text.
        text = re.sub(r"<[^>]+>", " ", page)
        assert not re.search(r"HK\$|RMB \d|\d{4}-\d\d-\d\d(?!T)", text)


@pytest.mark.parametrize(("language", "separator", "colon"), [("en", ", ", ": "), ("zh-hant", "、", "："),
                                                             ("zh-hans", "、", "：")])
def test_phone_numbers_lists_and_colons_on_pages(client_for, elder, hospital, language, separator, colon):
    profile = elder.profile
    profile.phone = "+85291234567"
    profile.save()
    account = client_for(elder).get(f"/{language}/accounts/profile/").content.decode()
    assert "+852 9123 4567" in account and "+85291234567" not in account.replace('href="tel:+85291234567"', "")
    # The identity document's label: full-width colon in Chinese.
    assert re.search(rf"{re.escape(colon)}<span class=\"masked\">", account)
    hospital.speaks_cantonese = hospital.speaks_putonghua = True
    hospital.save()
    with translation.override(language):
        url, languages = hospital.get_absolute_url(), formatting.listing(hospital.languages)
    detail = client_for(None).get(url).content.decode()
    assert separator in languages and languages in detail
