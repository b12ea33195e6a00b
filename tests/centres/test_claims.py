"""Insurance claims: creation by the centre, allowed moves with an event log, and
documents served only to the resident and the centre's consenting staff."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.centres import services
from portal.centres.models import AccessLogEntry, ClaimDocument, Consent, InsuranceClaim
from tests.centres.conftest import open_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def claim(centre_staff, resident, consent, visit_hospital):
    return services.claim_create(
        actor=centre_staff, resident=resident, visit_date=timezone.localdate() - timedelta(days=3),
        hospital=visit_hospital, insurer="Pearl Insurance", policy_number="PL-1234567890",
        amount=Decimal("880.50"), currency="CNY",
    )


def test_staff_create_a_claim_through_the_page(staff_client, resident, consent, visit_hospital):
    open_case(staff_client, resident, reason="claim")
    data = {"visit_date": (timezone.localdate() - timedelta(days=1)).isoformat(), "hospital": visit_hospital.pk,
            "insurer": "Pearl", "policy_number": "pl 99887766", "amount": "100.00", "currency": "HKD"}
    bad = staff_client.post(reverse("centres:claim_new_for", args=[resident.pk]), {**data, "amount": "-5"})
    assert bad.status_code == 400 and "Pearl" in bad.content.decode()
    response = staff_client.post(reverse("centres:claim_new_for", args=[resident.pk]), data)
    assert response.status_code == 302
    claim = InsuranceClaim.objects.get()
    assert claim.policy_number == "PL99887766" and claim.masked_policy_number == "******7766"
    page = staff_client.get(response["Location"]).content.decode()
    assert "******7766" in page and "PL99887766" not in page
    assert claim.events.get().to_status == "prepared"


def test_moves_follow_the_table_and_are_logged(centre_staff, claim):
    with pytest.raises(ValidationError):
        services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="paid")
    services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="submitted", note="Sent by courier")
    services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="rejected")
    with pytest.raises(ValidationError):
        services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="paid")
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert [(e.from_status, e.to_status) for e in claim.events.all()] == [
        ("", "prepared"), ("prepared", "submitted"), ("submitted", "rejected")]


def test_move_through_the_page_and_not_by_other_centres(client_for, staff_client, other_centre_staff, resident, claim):
    open_case(staff_client, resident)
    response = staff_client.post(reverse("centres:claim_move", args=[claim.pk]), {"to_status": "submitted"})
    assert response.status_code == 302
    assert client_for(other_centre_staff).post(reverse("centres:claim_move", args=[claim.pk]),
                                               {"to_status": "paid"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_documents_checked_by_magic_bytes_and_size(centre_staff, resident, claim, settings):
    fake = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.claim_document_add(actor=resident, claim_id=claim.pk, upload=fake)
    services.claim_document_add(actor=resident, claim_id=claim.pk,
                                upload=SimpleUploadedFile("scan.png", PNG, content_type="application/octet-stream"))
    document = ClaimDocument.objects.get()
    assert document.content_type == "image/png" and document.stored_name.endswith(".png")
    assert services.document_path(document).read_bytes() == PNG
    too_big = SimpleUploadedFile("big.pdf", PDF + b"0" * services.DOCUMENT_MAX_BYTES)
    with pytest.raises(ValidationError):
        services.claim_document_add(actor=centre_staff, claim_id=claim.pk, upload=too_big)
    assert ClaimDocument.objects.count() == 1
    assert len(list(services.document_path(document).parent.iterdir())) == 1


def test_document_access_is_scoped(client_for, staff_client, centre_staff, other_centre_staff, resident, other_resident,
                                   superuser, claim):
    document = services.claim_document_add(actor=resident, claim_id=claim.pk,
                                           upload=SimpleUploadedFile("bill.pdf", PDF))
    url = reverse("centres:claim_document", args=[claim.pk, document.pk])
    owner = client_for(resident).get(url)
    assert owner.status_code == 200 and b"".join(owner.streaming_content) == PDF
    assert owner["Content-Type"] == "application/pdf"
    for stranger in (other_resident, other_centre_staff, superuser):
        assert client_for(stranger).get(url).status_code == 404
    # Centre staff: after giving a reason, and the read is logged.
    first = staff_client.get(url)
    assert first.status_code == 302 and "/open/" in first["Location"]
    open_case(staff_client, resident, reason="claim")
    response = staff_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AccessLogEntry.objects.filter(what="claim_document", actor=centre_staff).count() == 1
    # Consent withdrawn: the document is gone for the staff at once.
    Consent.objects.filter(resident=resident).update(revoked_at=timezone.now())
    assert staff_client.get(url).status_code == 404
    again = client_for(resident).get(url)
    assert again.status_code == 200 and b"".join(again.streaming_content) == PDF


def test_resident_sees_own_claims_only(client_for, resident, other_resident, claim):
    page = client_for(resident).get(reverse("centres:my_claims")).content.decode()
    assert "Pearl Insurance" in page
    detail = client_for(resident).get(reverse("centres:my_claim", args=[claim.pk])).content.decode()
    assert "*********7890" in detail and "1234567890" not in detail
    assert client_for(other_resident).get(reverse("centres:my_claim", args=[claim.pk])).status_code == 404
    assert "Pearl Insurance" not in client_for(other_resident).get(reverse("centres:my_claims")).content.decode()


def test_staff_claim_view_logs_and_is_scoped(client_for, staff_client, other_centre_staff, resident, claim):
    open_case(staff_client, resident, reason="claim")
    assert staff_client.get(reverse("centres:staff_claim", args=[claim.pk])).status_code == 200
    assert AccessLogEntry.objects.filter(what="claim").count() == 1
    assert client_for(other_centre_staff).get(reverse("centres:staff_claim", args=[claim.pk])).status_code == 404


def test_nobody_outside_scope_can_add_documents(other_resident, other_centre_staff, claim):
    for user in (other_resident, other_centre_staff):
        with pytest.raises(PermissionDenied):
            services.claim_document_add(actor=user, claim_id=claim.pk, upload=SimpleUploadedFile("a.pdf", PDF))


def test_staff_page_offers_the_moves_of_the_table(staff_client, centre_staff, resident, claim):
    open_case(staff_client, resident, reason="claim")
    url = reverse("centres:staff_claim", args=[claim.pk])
    prepared = staff_client.get(url).content.decode()
    assert prepared.count('name="to_status"') == 1 and 'value="submitted"' in prepared
    services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="submitted")
    submitted = staff_client.get(url).content.decode()
    assert "Mark as: Paid" in submitted and "Mark as: Rejected" in submitted
    services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="paid")
    assert 'name="to_status"' not in staff_client.get(url).content.decode()
