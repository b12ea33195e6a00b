import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.core import private_files


@pytest.mark.parametrize(("head", "content_type"), [
    (b"%PDF-1.7\n", "application/pdf"), (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"), (b"\x89PNG\r\n\x1a\n0000", "image/png"),
])
def test_accepted_types_are_recognised_by_their_first_bytes(head, content_type):
    assert private_files.sniff(head).content_type == content_type


@pytest.mark.parametrize("head", [b"MZ\x90\x00", b"<html><body>", b""])
def test_anything_else_is_refused_whatever_its_name(head):
    assert private_files.sniff_upload(SimpleUploadedFile("scan.pdf", head, content_type="application/pdf")) is None


def test_written_files_get_a_random_name_under_the_private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("my HKID.pdf", b"%PDF-1.4 body")
    kind = private_files.sniff_upload(upload)
    stored_name, path = private_files.write_private(upload, folder="tests", kind=kind)
    assert path == tmp_path / "tests" / stored_name
    assert stored_name.endswith(".pdf") and "HKID" not in stored_name
    assert path.read_bytes() == b"%PDF-1.4 body"
