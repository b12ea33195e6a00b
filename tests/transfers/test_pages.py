"""Resident and centre-staff pages: the request form (fee quote, validation that
keeps input), moves and family following through the pages."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.transfers.models import Attachment, TransferRequest

from .test_attachments import PDF


def form_data(route, **overrides):
    data = {
        "route": str(route.pk), "patient_kind": "self", "clinical_summary": "Stable after stroke, needs rehab.",
        "mobility_needs": "Stretcher", "equipment_needs": "", "preferred_date": str(date.today() + timedelta(days=4)),
        "preferred_time": "10:30", "consent_to_share": "on",
        "escorts-TOTAL_FORMS": "2", "escorts-INITIAL_FORMS": "0", "escorts-MIN_NUM_FORMS": "0",
        "escorts-MAX_NUM_FORMS": "4", "escorts-0-kind": "relative", "escorts-0-name": "CHAN Siu Wai",
        "escorts-0-relationship": "daughter", "escorts-1-kind": "relative", "escorts-1-name": "",
        "escorts-1-relationship": "",
    }
    data.update(overrides)
    return data


def test_form_shows_fee_quotes_honestly(client_for, resident, route, hospital, border_point):
    from portal.hospitals.models import Hospital
    from portal.transfers.models import Route
    from tests.factories import HospitalFactory

    unpublished = HospitalFactory(slug="pmh", name_en="Princess Margaret Hospital")
    Route.objects.create(sending_hospital=hospital, receiving_hospital=unpublished, border_point=border_point,
                         direction="southbound")
    page = client_for(resident).get(reverse("transfers:new")).content.decode()
    assert "RMB 4990" in page or "RMB 4,990" in page
    assert "Not published: the sending hospital will quote it" in page
    assert Hospital.objects.count() == 3


def test_new_request_with_attachment(client_for, resident, route):
    data = form_data(route, attachment=SimpleUploadedFile("discharge.pdf", PDF, "application/pdf"))
    response = client_for(resident).post(reverse("transfers:new"), data)
    transfer = TransferRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("transfers:detail", kwargs={"pk": transfer.pk})
    assert transfer.escorts.get().name == "CHAN Siu Wai"
    assert Attachment.objects.get().transfer == transfer
    page = client_for(resident).get(response["Location"]).content.decode()
    assert "Submitted" in page and "discharge.pdf" in page


def test_invalid_form_keeps_input_and_explains(client_for, resident, route):
    data = form_data(route, consent_to_share="", clinical_summary="Kept summary text")
    response = client_for(resident).post(reverse("transfers:new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The transfer cannot be requested without consent to share the information." in page
    assert "Kept summary text" in page and "CHAN Siu Wai" in page
    assert not TransferRequest.objects.exists()


def test_bad_attachment_on_new_form_leaves_nothing(client_for, resident, route):
    data = form_data(route, attachment=SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf"))
    response = client_for(resident).post(reverse("transfers:new"), data)
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted." in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_person_without_account_keeps_only_masked_document(client_for, resident, route):
    data = form_data(route, patient_kind="person", patient_name="CHEUNG Ah Po", patient_document="A123456(3)")
    client_for(resident).post(reverse("transfers:new"), data)
    transfer = TransferRequest.objects.get()
    assert transfer.patient_name == "CHEUNG Ah Po"
    assert "123456" not in transfer.patient_document_masked and transfer.patient_document_masked


@pytest.mark.parametrize(("kind", "typed", "masked", "label"), [
    ("", "1234567 8", "1****67(*)", "Macao resident identity card"),
    ("", "m87654321", "M******21", "Mainland Travel Permit for Hong Kong and Macao Residents"),
    ("coe", "CE123456/78", "C********78", "Certificate of Exemption (Hong Kong)"),
])
def test_a_patient_without_account_may_have_a_macao_id_permit_or_certificate(client_for, resident, route, kind, typed,
                                                                             masked, label):
    data = form_data(route, patient_kind="person", patient_name="WONG Ah Mei", patient_document=typed,
                     patient_document_type=kind)
    response = client_for(resident).post(reverse("transfers:new"), data, follow=True)
    transfer = TransferRequest.objects.get()
    assert transfer.patient_document_masked == masked
    page = response.content.decode()
    assert f'{label}: <span class="masked">{masked}</span>' in page
    assert typed.replace(" ", "") not in page.replace(" ", "")


@pytest.mark.parametrize("typed", ["A123456(4)", "2234567(8)", "X12345678"])
def test_a_wrong_patient_document_is_refused_and_nothing_is_kept(client_for, resident, route, typed):
    data = form_data(route, patient_kind="person", patient_name="WONG Ah Mei", patient_document=typed)
    response = client_for(resident).post(reverse("transfers:new"), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "Mainland Travel Permit number like H12345678" in text or "please check the digit in brackets" in text
    assert not TransferRequest.objects.exists()


def test_a_macao_resident_patient_shows_their_masked_macao_id(client_for, resident, route):
    profile = resident.profile
    profile.id_document_type, profile.id_document_number = "macao_id", "5215299(8)"
    profile.save()
    client_for(resident).post(reverse("transfers:new"), form_data(route))
    transfer = TransferRequest.objects.get()
    assert (transfer.patient_document_type, transfer.patient_document_masked) == ("macao_id", "5****99(*)")


def test_centre_staff_files_for_consenting_resident(client_for, consenting_staff, other_centre_staff, resident, route):
    url = reverse("transfers:new_for", kwargs={"resident_id": resident.pk})
    assert client_for(other_centre_staff).get(url).status_code == 404
    staff = client_for(consenting_staff)
    staff.post(reverse("centres:case_open", args=[resident.pk]), {"reason": "transfer"})  # the reason, for the access log
    response = staff.post(url, form_data(route))
    assert response.status_code == 302
    transfer = TransferRequest.objects.get()
    assert transfer.requester == resident and transfer.filed_by == consenting_staff
    assert transfer.reference in client_for(consenting_staff).get(reverse("transfers:index")).content.decode()


def test_staff_pages_show_actions_and_refuse_wrong_role(client_for, transfer, sending_admin, receiving_admin):
    detail = reverse("transfers:detail", kwargs={"pk": transfer.pk})
    page = client_for(sending_admin).get(detail).content.decode()
    assert "Confirm clinical review" in page and "Accept the patient" not in page
    refused = client_for(receiving_admin).post(reverse("transfers:move", kwargs={"pk": transfer.pk}),
                                               {"to": "clinically_reviewed"})
    assert refused.status_code == 403
    assert "Only the sending hospital may make this change." in refused.content.decode()
    ok = client_for(sending_admin).post(reverse("transfers:move", kwargs={"pk": transfer.pk}), {"to": "clinically_reviewed"})
    assert ok.status_code == 302
    decline = client_for(receiving_admin).post(reverse("transfers:move", kwargs={"pk": transfer.pk}),
                                               {"to": "declined", "declined-note": ""})
    assert decline.status_code == 400 and "Please give a reason." in decline.content.decode()


def test_family_follow_through_care_links(client_for, transfer, resident, follower):
    """Followers became care links limited to one transfer: the requester manages
    them on the Family and caregivers page; ending the link ends the following."""
    from portal.care import services as care_services
    from tests.transfers.conftest import follow

    page = client_for(resident).get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).content.decode()
    assert reverse("care:index") in page
    link = follow(transfer, follower)
    assert client_for(follower).get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).status_code == 200
    care_services.care_link_revoke(actor=resident, link_id=link.pk)
    assert client_for(follower).get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).status_code == 404


def test_zh_hant_pages_render(client_for, transfer, resident):
    assert client_for(resident).get(f"/zh-hant/transfers/{transfer.pk}/").status_code == 200
    assert client_for(resident).get("/zh-hans/transfers/new/").status_code == 200


def test_centre_staff_index_links_consenting_residents_only(client_for, consenting_staff, resident, other_resident):
    page = client_for(consenting_staff).get(reverse("transfers:index")).content.decode()
    assert reverse("transfers:new_for", kwargs={"resident_id": resident.pk}) in page
    assert reverse("transfers:new_for", kwargs={"resident_id": other_resident.pk}) not in page
