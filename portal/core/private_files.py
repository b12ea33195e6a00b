"""Sensitive uploads (transfer attachments, insurance claim documents).

Files are recognised by their first bytes, never by their name or the browser's
header, and written under settings.PRIVATE_MEDIA_ROOT with a random name, outside
any path the web server serves. Views stream them only after checking the
requesting user's scope. Each app keeps its own size limit and its own
(translated) messages; this module holds the shared mechanics."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Magic bytes of the accepted types: PDF, JPEG and PNG.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def sniff(head: bytes) -> FileKind | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return FileKind(content_type, extension)
    return None


def sniff_upload(upload) -> FileKind | None:
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    return kind


def private_path(folder: str, stored_name: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / folder / stored_name


def write_private(upload, *, folder: str, kind: FileKind) -> tuple[str, Path]:
    """Write `upload` under PRIVATE_MEDIA_ROOT/folder with a random name; returns
    (stored name, path). The caller removes the file if its database row is not saved."""
    stored_name = secrets.token_hex(20) + kind.extension
    path = private_path(folder, stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return stored_name, path
