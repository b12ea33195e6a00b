"""Each hospital page tells a resident how to reach the hospital (issue 18, item 6):
phone, address for a taxi in Chinese and English, opening hours, booking without the
portal and their source; where a fact is not known, it says so and offers the
nearest service centre. The booking pages that say "please call" show the same block."""

from datetime import date

import pytest
from django.urls import reverse

from portal.centres.selectors import nearest_centre
from tests import factories

# Test data only (not a real hospital's number).
TEST_PHONE = "+86 20 1234 5678"


def page(client, hospital, language="en"):
    return client.get(f"/{language}/hospitals/{hospital.slug}/").content.decode()


@pytest.fixture
def known(db):
    city = factories.CityFactory(code="guangzhou", name_en="Guangzhou", latitude="23.129", longitude="113.264")
    return factories.HospitalFactory(
        slug="known", city=city, phone=TEST_PHONE,
        address_en="1 Test Road, Guangzhou", address_zh_hant="廣州市測試路1號", address_zh_hans="广州市测试路1号",
        opening_hours_en="Mon-Fri 08:00-17:00", opening_hours_zh_hant="星期一至五 08:00-17:00",
        opening_hours_zh_hans="周一至周五 08:00-17:00", booking_without_portal_en="Call the Hong Kong patients' line.",
        booking_without_portal_zh_hant="致電香港病人專線。", booking_without_portal_zh_hans="致电香港病人专线。",
        contact_source_title="Hospital website, contact page", contact_source_url="https://example.org/contact",
        contact_checked_on=date(2026, 11, 30),
    )


def test_known_facts_are_shown_with_their_source_and_no_centre_detour(known, centre, client):
    html = page(client, known)
    assert 'href="tel:+862012345678"' in html and "+86 20 1234 5678" in html
    assert '<span id="address-zh-known" lang="zh-Hans">广州市测试路1号</span>' in html
    assert '<span id="address-en-known" lang="en">1 Test Road, Guangzhou</span>' in html
    assert 'data-copy="address-zh-known"' in html and 'data-copy="address-en-known"' in html
    assert "Mon-Fri 08:00-17:00" in html and "Call the Hong Kong patients&#x27; line." in html
    assert 'href="https://example.org/contact"' in html and "checked on 30 November 2026" in html
    assert "Not known" not in html
    assert centre.name_en not in html


def test_the_taxi_address_is_in_chinese_and_english_on_every_language_page(known, client):
    for language in ("zh-hant", "zh-hans"):
        html = page(client, known, language)
        assert 'lang="zh-Hans">广州市测试路1号<' in html and 'lang="en">1 Test Road, Guangzhou<' in html


def test_hours_in_the_page_language(known, client):
    assert "星期一至五 08:00-17:00" in page(client, known, "zh-hant")
    assert "周一至周五 08:00-17:00" in page(client, known, "zh-hans")


def test_an_untranslated_fact_is_marked_with_its_language(db, client):
    hospital = factories.HospitalFactory(slug="english-only", opening_hours_en="Daily 09:00-12:00")
    assert '<span lang="en">Daily 09:00-12:00</span>' in page(client, hospital, "zh-hant")


def test_unknown_facts_say_so_and_offer_the_centre_in_the_same_city(db, client):
    guangzhou = factories.CityFactory(code="guangzhou", name_en="Guangzhou", latitude="23.129", longitude="113.264")
    hospital = factories.HospitalFactory(slug="unknown", city=guangzhou, latitude="23.1", longitude="113.3")
    factories.ServiceCentreFactory(slug="far", name_en="Far Centre",
                                   city=factories.CityFactory(code="dongguan", name_en="Dongguan"))
    here = factories.ServiceCentreFactory(slug="here", name_en="Guangzhou Centre", city=guangzhou,
                                          address_en="Huangpu, Guangzhou")
    html = page(client, hospital)
    assert html.count("Not known") >= 4  # phone, address, hours, booking
    assert "No published source for these details has been recorded yet." in html
    assert "Guangzhou Centre can help you contact the hospital and book." in html and "Far Centre" not in html
    assert "Huangpu, Guangzhou" in html
    assert f'href="{reverse("centres:consent")}"' in html
    assert nearest_centre(hospital) == here


def test_without_a_centre_in_the_city_the_nearest_one_is_offered(db):
    shenzhen = factories.CityFactory(code="shenzhen", latitude="22.543", longitude="114.058")
    dongguan = factories.CityFactory(code="dongguan", name_en="Dongguan", latitude="23.021", longitude="113.752")
    guangzhou = factories.CityFactory(code="guangzhou", name_en="Guangzhou", latitude="23.129", longitude="113.264")
    factories.ServiceCentreFactory(slug="gz", city=guangzhou)
    near = factories.ServiceCentreFactory(slug="dg", city=dongguan)
    hospital = factories.HospitalFactory(city=shenzhen, latitude="22.54", longitude="114.05")
    assert nearest_centre(hospital) == near


def test_the_booking_page_that_says_call_the_hospital_shows_how(db, resident, client_for):
    factories.ServiceCentreFactory(slug="sz", name_en="Shenzhen Centre",
                                   city=factories.CityFactory(code="shenzhen"))
    no_slots = factories.HospitalFactory(slug="no-slots", city=factories.CityFactory(code="shenzhen"))
    html = client_for(resident).get(reverse("appointments:book_hospital", args=[no_slots.slug])).content.decode()
    assert "no times open for online booking" in html
    assert "Shenzhen Centre can help you contact the hospital and book." in html

    no_slots.phone = TEST_PHONE
    no_slots.save()
    html = client_for(resident).get(reverse("appointments:book_hospital", args=[no_slots.slug])).content.decode()
    assert 'href="tel:+862012345678"' in html


def test_hospital_admin_edits_the_contact_details_of_their_hospital(
        hospital, hospital_admin, client_for, client, django_capture_on_commit_callbacks):
    from tests.hospitals.test_admin import CHANGE, form_data

    assert "Not known" in page(client, hospital)  # now cached for signed-out visitors
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hospital_admin).post(CHANGE.format(hospital.pk), form_data(
            hospital, phone=TEST_PHONE, address_zh_hans="深圳市测试路2号", contact_source_title="Test source",
            contact_checked_on="2026-12-01"))
    assert response.status_code == 302, response.content.decode()[:3000]
    html = page(client, hospital)
    assert "+86 20 1234 5678" in html and "深圳市测试路2号" in html and "Test source" in html


def test_the_api_gives_the_same_contact_details_with_their_source(known, client):
    body = client.get(f"/api/v1/hospitals/{known.slug}/", {"lang": "zh-hant"}).json()
    assert body["phone"] == TEST_PHONE and body["address"] == "廣州市測試路1號"
    assert body["booking_without_portal"] == "致電香港病人專線。"
    assert body["contact_source_url"] == "https://example.org/contact" and body["contact_checked_on"] == "2026-11-30"
