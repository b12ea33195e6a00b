"""Sensitive uploads (transfer attachments, insurance claim documents).

Files are recognised by their first bytes, never by their name or the browser's
header, and written under settings.PRIVATE_MEDIA_ROOT with a random name, outside
any path the web server serves. Views stream them only after checking the
requesting user's scope. Each app keeps its own size limit and its own
(translated) messages; this module holds the shared mechanics."""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
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
    (stored name, path). The caller removes the file if its database row is not saved;
    if a later step rolls the caller's transaction back, `remove_orphans` does."""
    stored_name = secrets.token_hex(20) + kind.extension
    path = private_path(folder, stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return stored_name, path


# --- Files no row names -----------------------------------------------------------
#
# A file is written before its row is inserted, inside the caller's transaction.
# If that transaction rolls back after the insert (a later step of the same
# request failed), or the process dies in between, the file stays on disk with
# no row naming it. Django has no hook on rollback, so an hourly task removes
# such files once they are older than any request can be.

# folder -> the model whose rows name its files (in a `stored_name` field);
# each app registers its own folder in AppConfig.ready().
_OWNERS: dict[str, type] = {}

ORPHAN_AGE = timedelta(hours=1)


def register_folder(folder: str, model: type) -> None:
    _OWNERS[folder] = model


def remove_orphans(*, older_than: timedelta = ORPHAN_AGE, now: float | None = None, batch: int = 500) -> int:
    """Delete the files of every registered folder that no row names and that
    were last written more than `older_than` ago (a younger one may belong to a
    transaction still open). Returns how many were deleted."""
    now = time.time() if now is None else now
    removed = 0
    for folder, model in _OWNERS.items():
        directory = Path(settings.PRIVATE_MEDIA_ROOT) / folder
        if not directory.is_dir():
            continue
        old = [path for path in directory.iterdir()
               if path.is_file() and now - path.stat().st_mtime > older_than.total_seconds()]
        for start in range(0, len(old), batch):
            paths = {path.name: path for path in old[start:start + batch]}
            named = set(model._default_manager.filter(stored_name__in=list(paths)).values_list("stored_name", flat=True))
            for name, path in paths.items():
                if name not in named:
                    path.unlink(missing_ok=True)
                    removed += 1
    return removed
