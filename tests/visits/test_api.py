"""/api/v1/health-summary/ and /api/v1/visit-documents/: the pages' scope and log."""

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.centres.models import AccessLogEntry
from portal.visits import services
from portal.visits.models import HealthSummary
from tests import factories
from tests.hospitals.factories import ConnectItemFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_the_resident_keeps_their_summary_through_the_api(client_for, resident):
    item = ConnectItemFactory(slug="lorlatinib")
    client = client_for(resident)
    assert client.get("/api/v1/health-summary/").json()["updated_at"] is None
    response = client.put("/api/v1/health-summary/", {"connect_items": ["lorlatinib"], "allergies": "Penicillin",
                                                      "emergency_contact_phone": "+852 9123 4567"},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["connect_items"] == ["lorlatinib"]
    assert response.json()["emergency_contact_phone"] == "+85291234567"
    assert list(HealthSummary.objects.get(resident=resident).connect_items.all()) == [item]


def test_bad_input_is_refused_with_a_clear_message(client_for, resident):
    response = client_for(resident).put("/api/v1/health-summary/", {"connect_items": ["no-such-item"],
                                                                    "emergency_contact_phone": "abc"},
                                        content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"connect_items", "emergency_contact_phone"}
    assert not HealthSummary.objects.exists()


def test_a_caregiver_with_the_right_reads_and_writes_and_is_logged(client_for, resident):
    link = factories.make_caregiver(resident, rights=("health_summary",))
    client = client_for(link.caregiver)
    url = f"/api/v1/health-summary/?resident={resident.pk}"
    assert client.put(url, {"allergies": "Aspirin"}, content_type="application/json").status_code == 200
    assert client.get(url).json()["allergies"] == "Aspirin"
    assert AccessLogEntry.objects.filter(care_link=link, what="health_summary").exists()


def test_others_are_refused(client_for, resident, other_resident, centre, centre_staff):
    factories.give_consent(resident, centre)
    no_right = factories.make_caregiver(resident, rights=("appointments",), email="son@example.com")
    url = f"/api/v1/health-summary/?resident={resident.pk}"
    assert client_for(no_right.caregiver).get(url).status_code == 403
    for user in (other_resident, centre_staff):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).put(url, {"allergies": "x"}, content_type="application/json").status_code == 404


def test_documents_list_and_detail(client_for, resident, appointment, centre, centre_staff):
    factories.give_consent(resident, centre)
    document = services.visit_document_add(actor=resident, appointment=appointment, kind="report",
                                           upload=SimpleUploadedFile("report.pdf", PDF, "application/pdf"))
    body = client_for(resident).get("/api/v1/visit-documents/").json()
    assert [row["name"] for row in body] == ["report.pdf"] and body[0]["appointment"] == appointment.reference
    staff = client_for(centre_staff)
    assert staff.get(f"/api/v1/visit-documents/{document.pk}/").status_code == 404  # not shared
    services.visit_document_share(actor=resident, document=document, centre=centre)
    assert staff.get(f"/api/v1/visit-documents/{document.pk}/").status_code == 403  # no reason given yet
    staff.post(f"/en/centre/residents/{resident.pk}/open/", {"reason": "enquiry", "other": ""})
    assert staff.get(f"/api/v1/visit-documents/{document.pk}/").json()["shared_with"] == centre.slug
    assert AccessLogEntry.objects.filter(actor=centre_staff, what="visit_document").count() == 1
