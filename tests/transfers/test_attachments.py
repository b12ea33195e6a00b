"""Attachments: only real PDF/JPEG/PNG (by magic bytes), size-limited, stored
privately under a random name, and streamed only to the transfer's parties.
A family member following one transfer (a care link limited to it) sees the
timeline but not the documents (documented in docs/transfers.md)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.transfers import services
from portal.transfers.models import Attachment
from tests.transfers.conftest import follow

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload_url(transfer):
    return reverse("transfers:attachment_upload", kwargs={"pk": transfer.pk})


def test_pdf_is_stored_privately_with_random_name(client_for, resident, transfer, settings):
    response = client_for(resident).post(upload_url(transfer), {"file": SimpleUploadedFile("letter.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.original_name == "letter.pdf"
    path = services.attachment_path(attachment)
    assert path.read_bytes() == PDF
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert "letter" not in path.name and len(path.stem) == 40
    assert Path(settings.STATIC_ROOT or "/nonexistent") not in path.parents


@pytest.mark.parametrize(("name", "content", "declared"), [
    ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "application/pdf"),
    ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf"),
    ("page.html", b"<html><body>hi</body></html>", "text/html"),
    ("photo.png", b"GIF89a" + b"\x00" * 20, "image/png"),
])
def test_bad_types_rejected_whatever_the_name_or_header(client_for, resident, transfer, name, content, declared):
    response = client_for(resident).post(upload_url(transfer), {"file": SimpleUploadedFile(name, content, declared)})
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted." in response.content.decode()
    assert not Attachment.objects.exists()


def test_too_large_rejected(client_for, resident, transfer, settings):
    settings.TRANSFER_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = PNG + b"\x00" * (1024 * 1024)
    response = client_for(resident).post(upload_url(transfer), {"file": SimpleUploadedFile("scan.png", big, "image/png")})
    assert response.status_code == 400
    assert "The file is too large: the limit is 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not list((Path(settings.PRIVATE_MEDIA_ROOT) / "transfers").glob("*")) if (Path(settings.PRIVATE_MEDIA_ROOT) / "transfers").exists() else True


@pytest.fixture
def stored(resident, transfer, follower):
    follow(transfer, follower)
    return services.attachment_add(actor=resident, transfer=transfer,
                                   upload=SimpleUploadedFile("scan.png", PNG, "image/png"))


def download_url(attachment):
    return reverse("transfers:attachment", kwargs={"pk": attachment.transfer_id, "attachment_id": attachment.pk})


@pytest.mark.parametrize("who", ["resident", "sending_admin", "receiving_admin", "consenting_staff"])
def test_parties_can_download(request, client_for, stored, who):
    client = client_for(request.getfixturevalue(who))
    if who == "consenting_staff":  # staff say why first (see the access-log test below)
        client.post(reverse("centres:case_open", args=[stored.transfer.requester_id]), {"reason": "transfer"})
    response = client.get(download_url(stored))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("who", ["other_resident", "third_hospital_admin", "centre_staff", "follower", None])
def test_others_never_reach_attachments(request, client_for, stored, who):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(download_url(stored))
    assert response.status_code in (404, 302)
    if user is not None:
        assert response.status_code == 404


def test_attachment_of_another_transfer_is_404(client_for, resident, route, stored, other_resident):
    from .conftest import submit

    own = submit(other_resident, route)
    url = reverse("transfers:attachment", kwargs={"pk": own.pk, "attachment_id": stored.pk})
    assert client_for(other_resident).get(url).status_code == 404


def test_follower_cannot_upload(client_for, stored, follower):
    response = client_for(follower).post(upload_url(stored.transfer), {"file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == 403
    assert Attachment.objects.count() == 1


def test_centre_staff_downloads_go_into_the_residents_access_log(client_for, stored, consenting_staff, resident):
    from portal.centres.models import AccessLogEntry

    client = client_for(consenting_staff)
    # no reason given yet: asked for one first, nothing streamed, nothing logged
    response = client.get(download_url(stored))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("centres:case_open", args=[resident.pk]))
    assert not AccessLogEntry.objects.filter(what="transfer_document").exists()
    client.post(reverse("centres:case_open", args=[resident.pk]), {"reason": "transfer"})
    response = client.get(download_url(stored))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    entry = AccessLogEntry.objects.get(what="transfer_document")
    assert (entry.actor, entry.resident, entry.why) == (consenting_staff, resident, "transfer")
    assert str(entry.what_label) == "Ambulance transfer document"
    # the resident's own downloads are not staff reads
    own = client_for(resident).get(download_url(stored))
    assert b"".join(own.streaming_content) == PNG
    assert AccessLogEntry.objects.filter(what="transfer_document").count() == 1
