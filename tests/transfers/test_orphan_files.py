"""Private uploads whose row was never committed are removed by the hourly task,
once they are older than any request; files that rows name, and young files,
stay."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from portal.core import private_files
from portal.core.tasks import remove_orphan_files
from portal.transfers import services
from portal.transfers.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def _upload():
    return SimpleUploadedFile("scan.png", PNG, "image/png")


def test_a_file_whose_transaction_rolled_back_is_removed_once_old(resident, transfer):
    kept = services.attachment_add(actor=resident, transfer=transfer, upload=_upload())
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = services.attachment_add(actor=resident, transfer=transfer, upload=_upload())
        raise RuntimeError("a later step of the same request failed")
    assert not Attachment.objects.filter(pk=lost.pk).exists()
    lost_path, kept_path = services.attachment_path(lost), services.attachment_path(kept)
    assert lost_path.is_file()  # left behind by the rollback
    assert remove_orphan_files() == 0  # too young: its transaction might still be open
    _age(lost_path, 2)
    _age(kept_path, 2)
    assert remove_orphan_files() == 1
    assert not lost_path.exists() and kept_path.read_bytes() == PNG


def test_claim_documents_are_swept_too_and_other_folders_are_left_alone():
    # (PRIVATE_MEDIA_ROOT is the test's own directory: see conftest)
    from portal.centres.services import DOCUMENT_FOLDER

    documents = Path(settings.PRIVATE_MEDIA_ROOT) / DOCUMENT_FOLDER
    documents.mkdir(parents=True, exist_ok=True)
    orphan = documents / "0123456789abcdef.pdf"
    orphan.write_bytes(b"%PDF-1.7")
    stranger = documents.parent / "not-registered" / "x.pdf"
    stranger.parent.mkdir(parents=True, exist_ok=True)
    stranger.write_bytes(b"%PDF-1.7")
    _age(orphan, 3)
    _age(stranger, 3)
    assert private_files.remove_orphans() == 1
    assert not orphan.exists() and stranger.exists()


def test_the_sweep_runs_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["core-remove-orphan-files"]
    assert entry["task"] == remove_orphan_files.name and entry["schedule"] <= 3600
