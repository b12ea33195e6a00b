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


@pytest.mark.django_db
def test_search_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    factories.BorderPointFactory()
    make_hospitals(3)
    cache.clear()
    with django_assert_max_num_queries(10) as few:
        client.get(INDEX, {"q": "eye"})
    make_hospitals(30, start=3)
    cache.clear()
    with django_assert_max_num_queries(10) as many:
        response = client.get(INDEX, {"q": "eye"})
    assert len(result_slugs(response)) == 20
    # The total comes with the page rows (a window count): no extra count query.
    assert len(many.captured_queries) == len(few.captured_queries)
    make_hospitals(60, start=33)
    cache.clear()
    with django_assert_max_num_queries(10) as more:
        response = client.get(INDEX, {"q": "eye", "page": 2})
    assert len(result_slugs(response)) == 20
    assert "93 hospitals found" in response.content.decode()
    assert len(more.captured_queries) == len(many.captured_queries)


@pytest.mark.django_db
def test_repeated_search_is_served_from_the_cache(client, django_assert_num_queries):
    make_hospitals(2)
    client.get(INDEX, {"q": "eye"})
    with django_assert_num_queries(0):
        response = client.get(INDEX, {"q": "eye"})
    assert len(result_slugs(response)) == 2


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
def test_search_forms_share_fields_but_not_values_or_errors(client):
    """The forms share their field objects (portal.core.forms.SharedFieldsForm):
    one visitor's choice or error must never show on another's page."""
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
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("hospitals:detail", kwargs={"slug": hospital.slug}))
    assert len(captured.captured_queries) == baseline


@pytest.mark.django_db
def test_detail_page_of_unknown_hospital_is_404(client):
    assert client.get("/en/hospitals/nowhere/").status_code == 404


@pytest.mark.django_db
def test_anonymous_pages_share_a_cached_layout_filled_with_their_own_token_and_path(client):
    client.get(INDEX, {"q": "first"})
    response = client.get(INDEX, {"q": "second", "city": ""})
    html = response.content.decode()
    assert "PORTALSHELL" not in html
    assert 'name="next" type="hidden" value="/en/hospitals/?q=second&amp;city="' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert len(token) == 64
    assert "csrftoken" in response.cookies or "csrftoken" in client.cookies


@pytest.mark.django_db
def test_signed_in_users_get_their_own_header(client_for, resident):
    html = client_for(resident).get(INDEX).content.decode()
    assert "Sign out" in html


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_a_search_frame_is_the_template_rendered_with_its_slots(language, settings):
    """shell.render_frame renders a search page's frame once per language and fills
    its slots by joining strings: the result must be the template's own rendering."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from portal.hospitals.shell import render_frame

    settings.DEBUG = False
    slots = {"form_html": '<div class="field">F & "q"</div>', "results": "<section>R</section>"}
    with translation.override(language):
        for template, context in (("hospitals/_search.html", {"MAP_TILE_URL": "/tiles/{z}/{x}/{y}.png"}),
                                  ("medicines/_search.html", {})):
            expected = render_to_string(template, {**context, **{k: mark_safe(v) for k, v in slots.items()}})  # noqa: S308 (test strings)
            assert render_frame(template, context=context, **slots) == expected
            assert render_frame(template, context=context, form_html="", results="other") != expected
