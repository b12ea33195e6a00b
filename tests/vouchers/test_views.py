"""Resident and service-point pages: content, scoping (owner / stranger / other
service point), forms, CSV statement and query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.vouchers import services
from portal.vouchers.models import Claim, LedgerEntry
from tests import factories


@pytest.fixture
def pending(hospital_admin, elder, department, rates):
    claim, _code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("100.00"),
                                         visit_reference="APT-1")
    return claim


def test_index_shows_balance_allotment_and_pending_claim(client_for, pending, elder):
    response = client_for(elder).get(reverse("vouchers:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "HK$2,000" in text and "Confirm and pay HK$108" in text and "RMB 100.00 × 1.08500 = HK$108.50" in text


@pytest.mark.parametrize(("profile", "words"), [
    ({"id_document_type": "", "id_document_number": ""}, "does not have a Hong Kong identity card number"),
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


def test_owner_confirms_in_the_portal(client_for, pending, elder):
    response = client_for(elder).post(reverse("vouchers:claim_confirm", args=[pending.pk]), follow=True)
    assert "Claim confirmed: HK$108" in response.content.decode()
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


def test_confirm_with_insufficient_balance_shows_a_clear_message(client_for, hospital_admin, elder, department, rates):
    claim, _ = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                     service_date=timezone.localdate(), amount_rmb=Decimal("5000"))
    response = client_for(elder).post(reverse("vouchers:claim_confirm", args=[claim.pk]), follow=True)
    assert "Not enough vouchers" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="claim").exists()


def test_history_filters_and_statement_csv(client_for, pending, elder, other_department, other_hospital_admin):
    services.claim_confirm(actor=elder, claim_id=pending.pk)
    client = client_for(elder)
    everything = client.get(reverse("vouchers:history")).content.decode()
    assert "Yearly allotment" in everything and "APT-1" in everything
    claims_only = client.get(reverse("vouchers:history"), {"kind": "claim"}).content.decode()
    assert "APT-1" in claims_only and "Yearly allotment " not in claims_only
    assert client.get(reverse("vouchers:history"), {"year": "1999"}).status_code == 400
    response = client.get(reverse("vouchers:statement_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["kind"], r["amount_hkd"], r["balance_after_hkd"]) for r in rows] == [
        ("claim", "-108", "1892"), ("allotment", "2000", "2000")]
    claim_row = rows[0]
    assert (claim_row["fee_rmb"], claim_row["hkd_per_rmb"], claim_row["visit_reference"]) == ("100.00", "1.08500", "APT-1")
    assert claim_row["service_point"] == pending.hospital.name_en
    filtered = client.get(reverse("vouchers:statement_csv"), {"service_point": pending.hospital_id})
    assert len(list(csv.DictReader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 1
    printable = client.get(reverse("vouchers:statement")).content.decode()
    assert "HK$1,892" in printable and "A****56(*)" in printable and "A123456" not in printable


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
    with django_assert_max_num_queries(12):
        assert client.get(reverse("vouchers:history")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("vouchers:statement_csv")).status_code == 200


def test_service_points_are_listed_by_city(client, service_point, other_service_point):
    factories.HospitalFactory(slug="not-a-point", name_en="Not a voucher point")
    text = client.get(reverse("vouchers:service_points")).content.decode()
    assert service_point.name_en in text and "since 2015-10" in text and "Not a voucher point" not in text


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
    assert LedgerEntry.objects.filter(claim=claim, kind="void", amount_hkd=108).exists()
