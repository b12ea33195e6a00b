"""Resident and service-point pages: content, scoping (owner / stranger / other
service point), forms, CSV statement and query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.vouchers import services
from portal.vouchers.models import Claim, ServicePoint, SimulatedTransaction
from tests import factories


@pytest.fixture
def pending(hospital_admin, elder, department, rates):
    claim, _code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("100.00"),
                                         visit_reference="APT-1")
    return claim


def test_index_shows_the_registry_balance_with_its_source_and_the_pending_claim(client_for, pending, elder,
                                                                                  simulator):
    response = client_for(elder).get(reverse("vouchers:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="balance">HK$8,000<' in text and "From Voucher system simulator, as of " in text
    assert 'data-testid="simulator-notice"' in text
    assert "Confirm and pay HK$108" in text and "RMB 100.00 × 1.08500 = HK$108.50" in text
    assert "Conversion rate for" in text and "source: test" in text  # the rate says where it comes from


def test_without_a_registry_the_index_shows_no_balance_and_where_to_find_it(client_for, pending, elder, no_registry):
    text = client_for(elder).get(reverse("vouchers:index")).content.decode()
    assert 'data-testid="balance"' not in text and 'class="balance"' not in text and "HK$2,000 each" in text
    assert 'data-testid="no-balance-notice"' in text and "eHealth app" in text and "requires enrolment in eHealth" in text
    assert "Confirm and pay HK$108" in text


def test_a_first_time_76_year_old_sees_no_invented_balance(client_for, resident, department, rates, no_registry):
    from tests.vouchers.conftest import make_elder

    make_elder(resident, born=timezone.localdate().replace(year=timezone.localdate().year - 76, month=1, day=15))
    text = client_for(resident).get(reverse("vouchers:index")).content.decode()
    assert "HK$2,000 each" in text  # the scheme's figure, sourced
    for invented in ('data-testid="balance"', "HK$2,000.", "Balance: HK$", "HK$8,000<"):
        assert invented not in text
    assert "Not shown in the portal: see your balance in the eHealth app." in text


def test_a_first_time_76_year_old_sees_the_simulators_figure_labelled(client_for, resident, simulator):
    from tests.vouchers.conftest import make_elder

    make_elder(resident, born=timezone.localdate().replace(year=timezone.localdate().year - 76, month=1, day=15))
    text = client_for(resident).get(reverse("vouchers:index")).content.decode()
    # Not the HK$2,000 of one year: every year since 65, up to the cap, from the simulator.
    assert 'data-testid="balance">HK$8,000<' in text and 'data-testid="simulator-notice"' in text


@pytest.mark.parametrize(("profile", "words"), [
    ({"id_document_type": "", "id_document_number": ""}, "Hong Kong identity card or a Certificate of Exemption"),
    ({"id_document_type": "macao_id", "id_document_number": "1234567(8)"}, "Macao's own schemes work in the Greater Bay Area"),
    ({"id_document_type": "hkid", "id_document_number": "A123456(3)", "date_of_birth": None}, "We need your date of birth"),
    ({"id_document_type": "hkid", "id_document_number": "A123456(3)", "date_of_birth": "1990-01-01"}, "You can use them from 1 January 2055"),
])
def test_ineligible_residents_are_told_why(client_for, resident, profile, words):
    for field, value in profile.items():
        setattr(resident.profile, field, value)
    resident.profile.save()
    response = client_for(resident).get(reverse("vouchers:index"))
    assert response.status_code == 200 and words in response.content.decode()


def test_pages_need_sign_in(client):
    for name in ("vouchers:index", "vouchers:history", "vouchers:statement", "vouchers:statement_csv",
                 "vouchers:staff_claims"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_owner_confirms_in_the_portal(client_for, pending, elder, simulator):
    response = client_for(elder).post(reverse("vouchers:claim_confirm", args=[pending.pk]), follow=True)
    assert "Claim confirmed: HK$108 was paid with your vouchers (Voucher system simulator)" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Claim.Status.CONFIRMED


@pytest.mark.parametrize("who", ["other_elder", "hospital_admin", "other_hospital_admin"])
def test_others_cannot_confirm_or_decline_a_residents_claim(client_for, pending, who, request):
    client = client_for(request.getfixturevalue(who))
    for name in ("vouchers:claim_confirm", "vouchers:claim_reject"):
        assert client.post(reverse(name, args=[pending.pk])).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Claim.Status.PENDING


def test_owner_declines(client_for, pending, elder):
    client_for(elder).post(reverse("vouchers:claim_reject", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == Claim.Status.REJECTED


def test_confirm_with_insufficient_balance_shows_a_clear_message(client_for, hospital_admin, elder, department, rates,
                                                                 simulator):
    claim, _ = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                     service_date=timezone.localdate(), amount_rmb=Decimal("9000"))
    response = client_for(elder).post(reverse("vouchers:claim_confirm", args=[claim.pk]), follow=True)
    assert "Not enough vouchers" in response.content.decode()
    assert not SimulatedTransaction.objects.filter(kind="claim").exists()


def test_history_filters_and_statement_csv(client_for, pending, elder, other_department, other_hospital_admin,
                                          simulator):
    services.claim_confirm(actor=elder, claim_id=pending.pk)
    client = client_for(elder)
    everything = client.get(reverse("vouchers:history")).content.decode()
    assert "APT-1" in everything and "submitted to Voucher system simulator" in everything
    assert "Movements in Voucher system simulator" in everything and "Yearly vouchers" in everything
    confirmed = client.get(reverse("vouchers:history"), {"status": "confirmed"}).content.decode()
    assert "APT-1" in confirmed
    assert "APT-1" not in client.get(reverse("vouchers:history"), {"status": "voided"}).content.decode()
    assert client.get(reverse("vouchers:history"), {"year": "1999"}).status_code == 400
    response = client.get(reverse("vouchers:statement_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["status"], r["vouchers_hkd"], r["fee_rmb"], r["hkd_per_rmb"], r["visit_reference"]) for r in rows] == [
        ("confirmed", "108", "100.00", "1.08500", "APT-1")]
    assert rows[0]["service_point"] == pending.hospital.name_en and rows[0]["submitted_to"] == "Voucher system simulator"
    assert "balance" not in ",".join(rows[0])  # the portal's claims, not a balance
    filtered = client.get(reverse("vouchers:statement_csv"), {"service_point": pending.hospital_id})
    assert len(list(csv.DictReader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 1
    printable = client.get(reverse("vouchers:statement")).content.decode()
    assert "HK$7,892" in printable and "from Voucher system simulator, as of" in printable
    assert "A****56(*)" in printable and "A123456" not in printable


def test_statement_without_a_registry_shows_no_balance(client_for, pending, elder, no_registry):
    printable = client_for(elder).get(reverse("vouchers:statement")).content.decode()
    assert "Not shown in the portal: see your balance in the eHealth app." in printable and "HK$8,000" not in printable


def test_history_and_statement_are_404_without_an_account(client_for, other_resident):
    client = client_for(other_resident)
    for name in ("vouchers:history", "vouchers:statement", "vouchers:statement_csv"):
        assert client.get(reverse(name)).status_code == 404


def test_history_query_count_does_not_grow_with_entries(client_for, elder, hospital_admin, department, rates,
                                                        django_assert_max_num_queries):
    for _ in range(6):
        claim, _ = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("10"))
        services.claim_confirm(actor=elder, claim_id=claim.pk)
    client = client_for(elder)
    client.get(reverse("vouchers:history"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("vouchers:history")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("vouchers:statement_csv")).status_code == 200


def test_service_points_are_listed_by_city(client, service_point, other_service_point):
    factories.HospitalFactory(slug="not-a-point", name_en="Not a voucher point")
    text = client.get(reverse("vouchers:service_points")).content.decode()
    assert service_point.name_en in text and "since 2015-10-06" in text and "Not a voucher point" not in text


def test_service_points_show_published_departments_and_only_the_published_part_of_a_date(
        client, service_point, other_service_point, django_assert_max_num_queries):
    other_service_point.voucher_since, other_service_point.voucher_since_precision = timezone.datetime(2025, 1, 1).date(), "year"
    other_service_point.save()
    ServicePoint.objects.create(hospital=service_point, departments_count=16, departments_note_en="including emergency",
                                source_en="HK01, 18 August 2025", as_of=timezone.datetime(2025, 8, 18).date())
    with django_assert_max_num_queries(3):
        text = client.get(reverse("vouchers:service_points")).content.decode()
    assert "16 designated departments, including emergency" in text
    assert "Source: HK01, 18 August 2025, as of 18 August 2025." in text
    assert "(service point since 2025)" in text and "2025-01" not in text  # the year only, no invented month
    # The other point's departments are not published: said so, and no default list.
    assert text.count("Designated departments: not published in our sources.") == 1


# --- Service-point staff --------------------------------------------------------------


def test_staff_records_a_claim_by_hkid_and_sees_only_the_masked_number(client_for, hospital_admin, elder, department, rates):
    client = client_for(hospital_admin)
    response = client.post(reverse("vouchers:staff_claim_new"), {
        "resident": "a 123456 (3)", "department": department.pk, "service_date": timezone.localdate().isoformat(),
        "amount_rmb": "200.00", "visit_reference": "APT-9", "attended": "on"}, follow=True)
    text = response.content.decode()
    assert "Claim of HK$217 recorded" in text and "A****56(*)" in text and "A123456" not in text
    claim = Claim.objects.get()
    assert (claim.recorded_by, claim.voucher_amount, claim.visit_reference) == (hospital_admin, 217, "APT-9")


def test_staff_form_keeps_input_and_explains_errors(client_for, hospital_admin, elder, department, rates):
    response = client_for(hospital_admin).post(reverse("vouchers:staff_claim_new"), {
        "resident": "nobody@example.com", "department": department.pk,
        "service_date": timezone.localdate().isoformat(), "amount_rmb": "200.00", "attended": "on"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "No resident with this e-mail" in text and 'value="nobody@example.com"' in text
    assert not Claim.objects.exists()


def test_staff_cannot_pick_another_hospitals_department(client_for, hospital_admin, elder, other_department, department, rates):
    response = client_for(hospital_admin).post(reverse("vouchers:staff_claim_new"), {
        "resident": elder.email, "department": other_department.pk,
        "service_date": timezone.localdate().isoformat(), "amount_rmb": "200.00", "attended": "on"})
    assert response.status_code == 400 and not Claim.objects.exists()


def test_staff_pages_are_404_for_residents_and_non_voucher_hospitals(client_for, elder, other_hospital_admin):
    assert client_for(elder).get(reverse("vouchers:staff_claims")).status_code == 404
    # other_hospital is not a voucher service point in this test
    assert client_for(other_hospital_admin).get(reverse("vouchers:staff_claim_new")).status_code == 404


def test_staff_list_shows_only_their_service_points_claims(client_for, pending, other_hospital_admin,
                                                           other_department, hospital_admin, django_assert_max_num_queries):
    client = client_for(hospital_admin)
    client.get(reverse("vouchers:staff_claims"))
    with django_assert_max_num_queries(15):
        text = client.get(reverse("vouchers:staff_claims")).content.decode()
    assert f"#{pending.pk}" in text and "A****56(*)" in text
    other = client_for(other_hospital_admin).get(reverse("vouchers:staff_claims")).content.decode()
    assert f"#{pending.pk}<" not in other
    for name, data in (("vouchers:staff_claim_void", {"reason": "x"}), ("vouchers:staff_claim_code", {"code": "123456"})):
        assert client_for(other_hospital_admin).post(reverse(name, args=[pending.pk]), data).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Claim.Status.PENDING and pending.code_attempts == 0


def test_staff_confirms_with_code_and_voids(client_for, hospital_admin, elder, department, rates):
    claim, code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                        service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))
    client = client_for(hospital_admin)
    wrong = client.post(reverse("vouchers:staff_claim_code", args=[claim.pk]), {"code": "000000" if code != "000000" else "111111"}, follow=True)
    assert "not right" in wrong.content.decode()
    client.post(reverse("vouchers:staff_claim_code", args=[claim.pk]), {"code": code})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED
    response = client.post(reverse("vouchers:staff_claim_void", args=[claim.pk]), {"reason": "Wrong fee"}, follow=True)
    assert "Claim voided." in response.content.decode()
    assert claim.events.filter(kind="voided", actor=hospital_admin, note="Wrong fee").exists()
