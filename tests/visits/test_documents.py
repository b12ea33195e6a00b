"""Documents from a visit (issue 19 item 3): uploaded by the resident or a caregiver
with the health summary right, private, shared with a service centre or attached
to a transfer only by the resident, every read by someone else in the access log."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.centres.models import AccessLogEntry
from portal.transfers.models import Attachment, Route
from portal.visits import services
from portal.visits.models import VisitDocument
from tests import factories

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(client, appointment, content=PDF, name="report.pdf", url=None):
    url = url or reverse("visits:documents", args=[appointment.reference])
    return client.post(url, {"kind": "report", "file": SimpleUploadedFile(name, content, "application/pdf")})


@pytest.fixture
def document(appointment):
    return services.visit_document_add(actor=appointment.resident, appointment=appointment, kind="report",
                                       upload=SimpleUploadedFile("report.pdf", PDF, "application/pdf"))


def test_the_resident_uploads_a_report_which_stays_private(client_for, resident, appointment, settings):
    client = client_for(resident)
    assert upload(client, appointment).status_code == 302
    document = VisitDocument.objects.get()
    assert document.resident == resident and document.shared_with is None
    path = services.document_path(document)
    assert path.read_bytes() == PDF and str(settings.PRIVATE_MEDIA_ROOT) in str(path)
    response = client.get(reverse("visits:document_download", args=[document.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert not AccessLogEntry.objects.exists()  # the resident's own reads are not logged


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00 not a pdf", "virus.pdf", "Only PDF, JPEG and PNG files are accepted."),
    (b"", "empty.pdf", "The submitted file is empty."),
])
def test_bad_files_are_refused_clearly_and_nothing_is_kept(client_for, resident, appointment, content, name,
                                                           message, settings):
    response = upload(client_for(resident), appointment, content=content, name=name)
    assert response.status_code == 400 and message in response.content.decode()
    assert not VisitDocument.objects.exists()
    folder = settings.PRIVATE_MEDIA_ROOT / "visits"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_file_over_the_limit_is_refused(client_for, resident, appointment, monkeypatch):
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 10)
    response = upload(client_for(resident), appointment)
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_sharing_with_a_consented_centre_lets_its_staff_read_it_into_the_access_log(
        client_for, resident, document, centre, centre_staff, other_centre):
    factories.give_consent(resident, centre)
    staff = client_for(centre_staff)
    url = reverse("visits:document_download", args=[document.pk])
    assert staff.get(url).status_code == 404  # not shared yet
    client = client_for(resident)
    client.post(reverse("visits:document_share", args=[document.pk]), {f"share-{document.pk}-centre": centre.pk})
    document.refresh_from_db()
    assert document.shared_with == centre
    assert "report.pdf" in staff.get(reverse("visits:shared_documents")).content.decode()
    # Staff give their reason for opening the case first, then the read is logged with it.
    first = staff.get(url)
    assert first.status_code == 302 and reverse("centres:case_open", args=[resident.pk]) in first["Location"]
    staff.post(reverse("centres:case_open", args=[resident.pk]), {"reason": "enquiry"})
    assert b"".join(staff.get(url).streaming_content) == PDF
    entry = AccessLogEntry.objects.get(resident=resident, what="visit_document")
    assert entry.actor == centre_staff and entry.centre == centre
    log = client.get(reverse("centres:access_log")).content.decode()
    assert "Document from a visit" in log


def test_a_centre_without_consent_cannot_be_chosen_or_read(client_for, resident, document, other_centre):
    response = client_for(resident).post(reverse("visits:document_share", args=[document.pk]),
                                         {f"share-{document.pk}-centre": other_centre.pk}, follow=True)
    assert "Choose a service centre you have given your consent to." in response.content.decode()
    document.refresh_from_db()
    assert document.shared_with is None


def test_withdrawn_consent_ends_the_centres_access(client_for, resident, document, centre, centre_staff):
    consent = factories.give_consent(resident, centre)
    services.visit_document_share(actor=resident, document=document, centre=centre)
    from django.utils import timezone

    consent.revoked_at = timezone.now()
    consent.save()
    assert client_for(centre_staff).get(reverse("visits:document_download", args=[document.pk])).status_code == 404


def test_a_caregiver_with_the_right_uploads_and_reads_but_cannot_share(client_for, resident, appointment, centre):
    link = factories.make_caregiver(resident, rights=("health_summary",))
    factories.give_consent(resident, centre)
    client = client_for(link.caregiver)
    url = reverse("visits:documents_for", args=[resident.pk, appointment.reference])
    assert upload(client, appointment, url=url).status_code == 302
    document = VisitDocument.objects.get()
    assert document.uploaded_by == link.caregiver and document.uploaded_via == link
    assert b"".join(client.get(reverse("visits:document_download", args=[document.pk])).streaming_content) == PDF
    assert AccessLogEntry.objects.filter(resident=resident, care_link=link, what="visit_document").exists()
    response = client.post(reverse("visits:document_share", args=[document.pk]),
                           {f"share-{document.pk}-centre": centre.pk})
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.shared_with is None


def test_a_caregiver_without_the_right_gets_nothing(client_for, resident, document, appointment):
    link = factories.make_caregiver(resident)  # appointments, vouchers, transfers, messages
    client = client_for(link.caregiver)
    assert client.get(reverse("visits:document_download", args=[document.pk])).status_code == 404
    url = reverse("visits:documents_for", args=[resident.pk, appointment.reference])
    assert client.get(url).status_code == 403


def test_strangers_and_hospital_admins_get_nothing(client_for, other_resident, hospital_admin, document):
    for user in (other_resident, hospital_admin):
        assert client_for(user).get(reverse("visits:document_download", args=[document.pk])).status_code == 404


def test_the_resident_attaches_a_document_to_their_transfer(client_for, resident, document, hospital,
                                                            other_hospital, futian):
    from portal.transfers import services as transfers

    route = Route.objects.create(sending_hospital=hospital, receiving_hospital=other_hospital, border_point=futian,
                                 direction="southbound")
    transfer = transfers.transfer_submit(actor=resident, requester=resident, route=route, patient_kind="self",
                                         clinical_summary="Stable.", preferred_date=date.today() + timedelta(days=3),
                                         consent_to_share=True)
    response = client_for(resident).post(reverse("visits:document_attach", args=[document.pk]),
                                         {"transfer": transfer.pk}, follow=True)
    assert f"Attached to transfer {transfer.reference}." in response.content.decode()
    attachment = Attachment.objects.get(transfer=transfer)
    assert attachment.original_name == "report.pdf" and attachment.uploaded_by == resident
