"""Hospital pages: search page, detail page, constant query counts, booking link."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests import factories
from tests.hospitals.factories import ItemApprovalFactory

INDEX = "/en/hospitals/"


def make_hospitals(count: int, start: int = 0) -> None:
    eye = factories.SpecialtyFactory(code="ophthalmology", name_en="Ophthalmology")
    gp = factories.SpecialtyFactory()
    for index in range(start, start + count):
        hospital = factories.HospitalFactory(slug=f"h-{index}", name_en=f"Shenzhen Eye Hospital {index}",
                                             is_voucher_point=index % 2 == 0)
        factories.DepartmentFactory(hospital=hospital, specialty=eye)
        factories.DepartmentFactory(hospital=hospital, specialty=gp)


def result_slugs(response) -> list[str]:
    return re.findall(r'data-url="/en/hospitals/([^/]+)/"', response.content.decode())


@pytest.mark.django_db
def test_search_page_lists_matches_with_map_and_filters(client):
    factories.BorderPointFactory()
    make_hospitals(3)
    response = client.get(INDEX, {"q": "eye", "programme": "voucher"})
    assert response.status_code == 200
    assert sorted(result_slugs(response)) == ["h-0", "h-2"]
    html = response.content.decode()
    assert 'id="hospital-map"' in html and "vendor/leaflet/leaflet.js" in html
    assert "km from Shenzhen Bay Port" in html
    assert '<label for="id_q"' in html


# A search that misses the page cache: the ranked page with its count, its hospitals
# with their city, their departments.
SEARCH_QUERIES = 3
# The filter options (cities, specialties, border points) when they are not cached.
OPTIONS_QUERIES = 3
# A signed-in page also reads the user (with their profile and roles:
# portal.accounts.backends), and the layout the unread count; the session comes
# from the cache (SESSION_ENGINE cached_db).
SIGNED_IN_QUERIES = 2


@pytest.mark.django_db
def test_search_page_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    factories.BorderPointFactory()
    make_hospitals(3)
    with django_assert_num_queries(OPTIONS_QUERIES + SEARCH_QUERIES):
        client.get(INDEX, {"q": "eye"})
    make_hospitals(30, start=3)
    cache.clear()
    with django_assert_num_queries(OPTIONS_QUERIES + SEARCH_QUERIES):
        response = client.get(INDEX, {"q": "eye"})
    assert len(result_slugs(response)) == 20
    make_hospitals(60, start=33)
    with django_assert_num_queries(SEARCH_QUERIES):  # the options are cached now
        response = client.get(INDEX, {"q": "eye", "page": 2})
    assert len(result_slugs(response)) == 20
    assert "93 hospitals found" in response.content.decode()


@pytest.mark.django_db
def test_signed_in_search_page_query_count_does_not_grow_with_rows(client_for, resident, django_assert_num_queries):
    client = client_for(resident)
    client.get(INDEX)  # the first request after signing in updates the session
    factories.BorderPointFactory()
    make_hospitals(3)
    cache.clear()
    # the cache was emptied: the session is read from the database once, then cached again
    with django_assert_num_queries(1 + SIGNED_IN_QUERIES + OPTIONS_QUERIES + SEARCH_QUERIES):
        client.get(INDEX, {"q": "eye"})
    make_hospitals(30, start=3)
    with django_assert_num_queries(SIGNED_IN_QUERIES + SEARCH_QUERIES):
        response = client.get(INDEX, {"q": "eye", "page": 2})
    assert len(result_slugs(response)) == 13
    # Again: the search (form and results) comes from the cache, the layout is the user's own.
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        response = client.get(INDEX, {"q": "eye", "page": 2})
    assert len(result_slugs(response)) == 13 and "Sign out" in response.content.decode()


@pytest.mark.django_db
def test_repeated_search_is_served_from_the_cache(client, django_assert_num_queries):
    make_hospitals(2)
    client.get(INDEX, {"q": "eye"})
    with django_assert_num_queries(0):
        response = client.get(INDEX, {"q": "eye"})
    assert len(result_slugs(response)) == 2


@pytest.mark.django_db
def test_a_page_past_the_end_shows_the_last_page(client):
    make_hospitals(25)
    response = client.get(INDEX, {"q": "eye", "page": 9})
    assert len(result_slugs(response)) == 5
    assert "Page 2 of 2" in response.content.decode()


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client):
    make_hospitals(25)
    response = client.get(INDEX, {"q": "eye"})
    assert "?q=eye&amp;page=2" in response.content.decode()
    second = client.get(INDEX, {"q": "eye", "page": 2})
    assert len(result_slugs(second)) == 5


@pytest.mark.django_db
def test_unknown_filter_value_is_a_400_with_a_message_and_the_typed_text_kept(client):
    response = client.get(INDEX, {"q": "eye", "city": "atlantis"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert 'value="eye"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("en", "Find a hospital"), ("zh-hant", "尋找醫院"),
                                                  ("zh-hans", "查找医院")])
def test_search_page_in_three_languages(client, language, title):
    factories.HospitalFactory(name_en="Alpha", name_zh_hant="甲醫院", name_zh_hans="甲医院")
    response = client.get(f"/{language}/hospitals/")
    assert title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "ten_km"), [("en", "10 km"), ("zh-hant", "10 公里"), ("zh-hans", "10 公里")])
def test_distance_choices_are_in_the_page_language(client, language, ten_km):
    html = client.get(f"/{language}/hospitals/").content.decode()
    select = re.search(r'<select name="within_km".*?</select>', html, re.S).group(0)
    assert f'<option value="10">{ten_km}</option>' in select


@pytest.mark.django_db
def test_one_visitors_choice_or_error_never_shows_on_anothers_page(client):
    factories.CityFactory(code="zhuhai", name_en="Zhuhai")
    bad = client.get(INDEX, {"city": "atlantis", "q": "eye"}).content.decode()
    chosen = client.get(INDEX, {"city": "zhuhai"}).content.decode()
    plain = client.get(INDEX).content.decode()
    assert "Select a valid choice" in bad and 'aria-invalid="true"' in bad
    assert '<option value="zhuhai" selected>' in chosen
    for html in (chosen, plain):
        assert "Select a valid choice" not in html and 'aria-invalid' not in html and 'value="eye"' not in html
    assert '<option value="zhuhai">' in plain and '<option value="" selected>Any city' in plain


@pytest.mark.django_db
def test_detail_page_shows_programmes_departments_border_points_items_and_booking(
        client, hospital, django_assert_max_num_queries):
    factories.BorderPointFactory()
    factories.BorderPointFactory(code="futian", name_en="Futian Port", latitude="22.516", longitude="114.067")
    eye = factories.SpecialtyFactory(code="ophthalmology", name_en="Ophthalmology")
    factories.DepartmentFactory(hospital=hospital, specialty=eye, accepts_vouchers=True)
    approvals = [ItemApprovalFactory(hospital=hospital) for _ in range(3)]
    hospital.is_voucher_point = True
    hospital.save()
    with django_assert_max_num_queries(10) as captured:
        response = client.get(reverse("hospitals:detail", kwargs={"slug": hospital.slug}))
    baseline = len(captured.captured_queries)
    html = response.content.decode()
    assert "Futian Port: 3.2 km in a straight line" in html
    assert "Shenzhen Bay Port" in html
    assert "Ophthalmology" in html and "Vouchers accepted" in html
    assert "Elderly Health Care Voucher service point" in html
    for approval in approvals:
        assert approval.item.get_absolute_url() in html
    assert f'{reverse("appointments:index")}?hospital={hospital.slug}' in html
    for _ in range(5):
        ItemApprovalFactory(hospital=hospital)
    cache.clear()
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("hospitals:detail", kwargs={"slug": hospital.slug}))
    assert len(captured.captured_queries) == baseline


@pytest.mark.django_db
def test_detail_page_of_unknown_hospital_is_404(client):
    assert client.get("/en/hospitals/nowhere/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", [INDEX, "/en/medicines/", "/en/hospitals/hku-szh/"])
def test_anonymous_pages_carry_no_token_and_set_no_cookie(client, hospital, url):
    response = client.get(url, {"q": "eye"})
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


@pytest.mark.django_db
def test_the_language_switcher_links_to_the_same_page_in_each_language(client):
    html = client.get(INDEX, {"q": "屯門", "city": ""}).content.decode()
    assert '<a href="/zh-hant/hospitals/?q=%E5%B1%AF%E9%96%80&amp;city=" lang="zh-hant" hreflang="zh-hant">' in html
    assert '<a href="/zh-hans/hospitals/?q=%E5%B1%AF%E9%96%80&amp;city=" lang="zh-hans" hreflang="zh-hans">' in html
    assert '<span lang="en" aria-current="true">English</span>' in html


@pytest.mark.django_db
def test_signed_in_users_get_their_own_header_and_a_language_form(client_for, resident):
    html = client_for(resident).get(INDEX).content.decode()
    assert "Sign out" in html
    assert 'name="next" type="hidden" value="/en/hospitals/"' in html
