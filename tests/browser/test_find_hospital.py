"""Journeys: find a hospital (search, filter, open it) and check an item of the
Medicine and Equipment Connect list (search, open, see its hospitals, go to
booking), in each of the three languages."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests import factories
from tests.browser.journey import check, languages, t
from tests.hospitals.factories import ConnectItemFactory, ItemApprovalFactory

NAMES = {"en": "The University of Hong Kong-Shenzhen Hospital", "zh-hant": "香港大學深圳醫院", "zh-hans": "香港大学深圳医院"}
# Proper names and units that stay in Latin script: the map library, kilometres, the outline's source.
MAP_NAMES = ("Leaflet", "km", "Natural Earth")
ITEM = {"en": "Lorlatinib", "zh-hant": "勞拉替尼", "zh-hans": "劳拉替尼"}


@pytest.fixture
def connect_hospital(transactional_db):
    cache.clear()
    factories.BorderPointFactory()
    hospital = factories.HospitalFactory(
        slug="hku-szh", name_en=NAMES["en"], name_zh_hant=NAMES["zh-hant"], name_zh_hans=NAMES["zh-hans"],
        latitude="22.525", longitude="113.990", is_connect_designated=True)
    factories.HospitalFactory(slug="other", name_en="Other Clinic", name_zh_hant="其他診所", name_zh_hans="其他诊所")
    item = ConnectItemFactory(slug="lorlatinib", generic_name_en=ITEM["en"], generic_name_zh_hant=ITEM["zh-hant"],
                              generic_name_zh_hans=ITEM["zh-hans"], indication_en="Lung cancer",
                              indication_zh_hant="肺癌", indication_zh_hans="肺癌")
    ItemApprovalFactory(item=item, hospital=hospital)
    return hospital


@languages
def test_find_a_hospital_search_filter_open(page_in, snap, connect_hospital, lang, locale):
    page = page_in(locale)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/{lang}/hospitals/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Find a hospital"))
    check(page, lang, snap, "search-page", allowed=MAP_NAMES)

    # Search by a part of the name in the page's language.
    page.get_by_label(t(lang, "Name"), exact=True).fill(NAMES[lang][:8] if lang == "en" else NAMES[lang][:4])
    page.get_by_role("button", name=t(lang, "Search")).click()
    page.wait_for_url(re.compile(r"q="))
    results = page.locator("ol.results > li")
    expect(results).to_have_count(1)
    # The map drew a marker for the result, on a plain background (no tile server).
    page.wait_for_selector("#hospital-map.map-ready path.leaflet-interactive")
    check(page, lang, snap, "searched", allowed=MAP_NAMES)

    # Filter: the Connect programme keeps it, the voucher programme does not.
    page.get_by_label(t(lang, "Programme")).select_option(label=t(lang, "Elderly Health Care Vouchers"))
    page.get_by_role("button", name=t(lang, "Search")).click()
    page.wait_for_url(re.compile(r"programme=voucher"))
    expect(results).to_have_count(0)
    check(page, lang, snap, "filtered-out", allowed=MAP_NAMES)
    page.get_by_label(t(lang, "Programme")).select_option(label=t(lang, "Medicine and Equipment Connect"))
    page.get_by_role("button", name=t(lang, "Search")).click()
    page.wait_for_url(re.compile(r"programme=connect"))
    expect(results).to_have_count(1)
    check(page, lang, snap, "filtered", allowed=MAP_NAMES)

    results.get_by_role("link", name=NAMES[lang]).click()
    page.wait_for_url(re.compile(rf"/{lang}/hospitals/hku-szh/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAMES[lang])
    expect(page.get_by_role("heading", name=t(lang, "Approved Medicine and Equipment Connect items"))).to_be_visible()
    check(page, lang, snap, "hospital")
    assert not [error for error in errors if "Content Security Policy" in error]


@languages
def test_check_a_connect_item_and_its_hospitals(page_in, snap, connect_hospital, lang, locale):
    page = page_in(locale)
    page.goto(f"/{lang}/medicines/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Medicine and Equipment Connect list"))
    check(page, lang, snap, "list")

    page.get_by_label(t(lang, "Name"), exact=True).fill(ITEM[lang][:3])
    page.get_by_role("button", name=t(lang, "Search")).click()
    page.wait_for_url(re.compile(r"q="))
    check(page, lang, snap, "searched", allowed=[ITEM["en"]])

    page.get_by_role("link", name=ITEM[lang]).first.click()
    page.wait_for_url(re.compile(rf"/{lang}/medicines/lorlatinib/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ITEM[lang])
    expect(page.get_by_role("heading", name=t(lang, "Institutions approved to use it"))).to_be_visible()
    expect(page.get_by_role("link", name=NAMES[lang], exact=True)).to_be_visible()
    check(page, lang, snap, "item", allowed=[ITEM["en"]])

    page.get_by_role("link", name=t(lang, "Book at %(hospital)s", hospital=NAMES[lang])).click()
    # Booking asks an anonymous visitor to sign in first, and comes back to this hospital.
    page.wait_for_url(re.compile(r"hospital(=|%3D)hku-szh"))
