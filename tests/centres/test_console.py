"""The staff console: who may use it, finding consenting residents, the case view."""

import pytest
from django.urls import reverse

from portal.centres import integrations
from portal.centres.models import AccessLogEntry, CaseNote
from tests.centres.conftest import open_case
from tests.factories import ProfileFactory, give_consent

pytestmark = pytest.mark.django_db


def test_residents_and_hospital_admins_cannot_reach_the_console(client_for, resident, hospital_admin, consent):
    for user in (resident, hospital_admin):
        client = client_for(user)
        assert client.get(reverse("centres:console")).status_code == 404
        assert client.get(reverse("centres:case", args=[resident.pk])).status_code == 404
        assert client.get(reverse("centres:escorts")).status_code == 404
        assert client.get(reverse("centres:workload")).status_code == 404
    anonymous = client_for(None).get(reverse("centres:console"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def _search(client, q):
    return client.post(reverse("centres:console"), {"q": q})


@pytest.mark.parametrize("query", ["CHAN tai", "陳大文", "陈大文", "91234567", "+852 9123 4567", "3456"])
def test_find_a_consenting_resident_by_name_phone_or_last_four_digits(staff_client, resident, resident_profile, consent, query):
    response = _search(staff_client, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("centres:case_open", args=[resident.pk]) in page
    assert "A****56(*)" in page
    assert "A123456" not in page


def test_search_finds_only_residents_who_consent_to_this_centre(staff_client, resident, resident_profile, other_centre):
    give_consent(resident, other_centre)
    page = _search(staff_client, "Chan").content.decode()
    assert reverse("centres:case_open", args=[resident.pk]) not in page
    assert "No consenting resident matches" in page


def test_full_identity_numbers_are_refused(staff_client, resident_profile, consent):
    for query in ("A123456(3)", "A1234563", "1234567(8)", "1234567 (8)", "1/234567/8", "M87654321"):
        response = _search(staff_client, query)
        assert response.status_code == 400
        assert "never the full number" in response.content.decode()


def test_a_macao_resident_is_found_by_the_last_digits_and_shown_masked_with_the_kind(staff_client, resident,
                                                                                     resident_profile, consent):
    resident_profile.id_document_type, resident_profile.id_document_number = "macao_id", "5215299(8)"
    resident_profile.travel_permit_number = "M87654321"
    resident_profile.save()
    page = _search(staff_client, "5299").content.decode()
    assert reverse("centres:case_open", args=[resident.pk]) in page
    assert 'Macao resident identity card: <span class="masked">5****99(*)</span>' in page and "5215299" not in page
    open_case(staff_client, resident)
    case = staff_client.get(reverse("centres:case", args=[resident.pk])).content.decode()
    assert "5****99(*)" in case and "M******21" in case and "87654321" not in case


def test_search_is_a_post_so_nothing_lands_in_urls(staff_client):
    response = staff_client.get(reverse("centres:console"), {"q": "3456"})
    assert response.status_code == 200
    assert "Results" not in response.content.decode()


def test_case_needs_a_reason_then_shows_masked_profile_and_logs_the_read(staff_client, centre_staff, resident,
                                                                         resident_profile, consent):
    case_url = reverse("centres:case", args=[resident.pk])
    first = staff_client.get(case_url)
    assert first.status_code == 302 and "/open/" in first["Location"]
    assert not AccessLogEntry.objects.exists()
    form = staff_client.get(first["Location"])
    assert "Why are you opening this case?" in form.content.decode()
    bad = open_case(staff_client, resident, reason="other", other="")
    assert bad.status_code == 400
    response = open_case(staff_client, resident, reason="other", other="Phoned about a referral")
    assert response.status_code == 302 and response["Location"] == case_url
    page = staff_client.get(case_url).content.decode()
    assert "A****56(*)" in page and "A123456" not in page
    assert "+852 9123 4567" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.resident, entry.what, entry.why) == (centre_staff, resident, "case", "Phoned about a referral")


@pytest.fixture
def no_sections(monkeypatch):
    """The console as shipped alone: no other app has registered a case section."""
    monkeypatch.setattr(integrations, "_sources", {})


def test_sections_say_honestly_that_nothing_is_linked(staff_client, resident, consent, no_sections):
    open_case(staff_client, resident)
    page = staff_client.get(reverse("centres:case", args=[resident.pk])).content.decode()
    assert page.count("Nothing is linked here yet") == 3
    assert reverse("centres:escort_new_for", args=[resident.pk]) in page


def test_a_registered_case_section_renders(staff_client, resident, consent, no_sections):
    shown_for = []

    def context(who):
        shown_for.append(who.pk)
        return {"transfers": []}

    integrations.register_case_section("transfers", template="transfers/centre_case.html", context=context)
    open_case(staff_client, resident)
    page = staff_client.get(reverse("centres:case", args=[resident.pk])).content.decode()
    assert shown_for == [resident.pk]
    assert "No transfer requests." in page and reverse("transfers:new_for", args=[resident.pk]) in page
    assert page.count("Nothing is linked here yet") == 2


def test_on_behalf_links_appear_only_when_the_url_exists(monkeypatch):
    monkeypatch.setattr(integrations, "ON_BEHALF_ACTIONS", (
        ("centres:case", "Exists"), ("appointments:for_nothing_here", "Missing"),
    ))
    assert integrations.on_behalf_actions(7) == [(reverse("centres:case", args=[7]), "Exists")]


def test_case_notes_are_kept_per_centre(client_for, staff_client, centre_staff, other_centre_staff, resident, consent,
                                         other_centre):
    open_case(staff_client, resident)
    response = staff_client.post(reverse("centres:case_note_add", args=[resident.pk]), {"body": "Needs a wheelchair."})
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.author, note.centre) == (centre_staff, consent.centre)
    assert "Needs a wheelchair." in staff_client.get(reverse("centres:case", args=[resident.pk])).content.decode()
    empty = staff_client.post(reverse("centres:case_note_add", args=[resident.pk]), {"body": ""})
    assert empty.status_code == 400
    # Another centre, even with the resident's consent too, does not see this centre's notes.
    give_consent(resident, other_centre)
    other = client_for(other_centre_staff)
    open_case(other, resident)
    assert "Needs a wheelchair." not in other.get(reverse("centres:case", args=[resident.pk])).content.decode()
    # The resident does not see notes either.
    assert "Needs a wheelchair." not in client_for(resident).get(reverse("centres:access_log")).content.decode()


def test_other_centres_staff_see_nothing(client_for, other_centre_staff, resident, resident_profile, consent):
    client = client_for(other_centre_staff)
    assert client.get(reverse("centres:case_open", args=[resident.pk])).status_code == 404
    assert client.get(reverse("centres:case", args=[resident.pk])).status_code == 404
    assert client.post(reverse("centres:case_note_add", args=[resident.pk]), {"body": "x"}).status_code == 404
    assert client.get(reverse("centres:escort_new_for", args=[resident.pk])).status_code == 404
    assert client.get(reverse("centres:claim_new_for", args=[resident.pk])).status_code == 404
    assert "Chan" not in _search(client, "Chan").content.decode().split("Results", 1)[-1]
    assert not AccessLogEntry.objects.exists()


def test_staff_without_consent_get_404_everywhere(staff_client, resident, resident_profile):
    for name in ("case_open", "case", "escort_new_for", "claim_new_for"):
        assert staff_client.get(reverse(f"centres:{name}", args=[resident.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_case_view_query_count_does_not_grow_with_data(staff_client, centre_staff, resident, consent, visit_hospital):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from portal.centres import services
    from tests.centres.conftest import count_queries

    open_case(staff_client, resident)
    url = reverse("centres:case", args=[resident.pk])
    staff_client.get(url)
    empty = count_queries(lambda: staff_client.get(url))
    for index in range(5):
        services.case_note_add(actor=centre_staff, resident=resident, body=f"note {index}")
        services.escort_request_create(actor=centre_staff, resident=resident, centre=consent.centre, language="yue",
                                       hospital=visit_hospital, visit_at=timezone.now() + timedelta(days=index + 1))
        services.claim_create(actor=centre_staff, resident=resident, visit_date=timezone.localdate(),
                              hospital=visit_hospital, insurer="Pearl", policy_number=f"PN{index}0000",
                              amount=Decimal("10"), currency="CNY")
    assert count_queries(lambda: staff_client.get(url)) == empty <= 22  # with the appointments, transfers and vouchers sections


def test_search_query_count_is_fixed(staff_client, centre, django_assert_max_num_queries):
    for index in range(8):
        give_consent(ProfileFactory(name_en=f"CHAN Number {index}").user, centre)
    with django_assert_max_num_queries(12):
        page = _search(staff_client, "Chan").content.decode()
    assert page.count("Open the case of") == 8


def test_case_open_returns_to_a_local_next_page_only(staff_client, resident, consent):
    url = reverse("centres:case_open", args=[resident.pk])
    local = staff_client.post(url + "?next=/en/appointments/for/1/", {"reason": "appointment"})
    assert local["Location"] == "/en/appointments/for/1/"
    for bad in ("https://evil.example.com/", "//evil.example.com/"):
        response = staff_client.post(url, {"reason": "appointment", "next": bad})
        assert response["Location"] == reverse("centres:case", args=[resident.pk])
