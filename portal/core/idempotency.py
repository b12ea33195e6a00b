"""Idempotency-Key for API writes: a repeated request gets the stored answer
instead of acting twice (docs/decisions/0022).

Decorate the view method with `@idempotent` and document the header with
`IDEMPOTENCY_KEY` (and the 422 with `IDEMPOTENCY_RESPONSES`). Without the header
the view runs as it is. With it:

- a key that is empty, longer than MAX_KEY_LENGTH or not printable ASCII: 400;
- the first request runs the view and its answer is stored with the key, in the
  view's transaction (answers of 500 and above, and exceptions, are not stored:
  nothing was done, so the request may simply be sent again);
- a repeat with the same method, path and body gets the stored answer, with the
  header `Idempotent-Replayed: true`; with another method, path or body: 422;
- two first uses at the same time: the key's row is written before the view
  runs, so the second request's insert waits on the unique constraint until the
  first commits, then answers with the first one's stored answer (or runs, if
  the first rolled back).

Keys are per user and kept for KEY_LIFETIME (`idempotency_keys_expire`, hourly).
"""

import functools
import hashlib
import json
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .constraints import violated_constraint
from .models import ONE_KEY_PER_USER, IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEY_LIFETIME = timedelta(hours=24)


class IdempotencyError(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description=f"Up to {MAX_KEY_LENGTH} printable ASCII characters, unique per request. A repeat of the same "
                "request with the same key returns the stored answer (header Idempotent-Replayed: true); "
                "the key with a different request is refused (422). Keys are kept for 24 hours.",
)
IDEMPOTENCY_RESPONSES = {
    422: OpenApiResponse(IdempotencyError, description="The Idempotency-Key was used for a different request."),
}


def idempotent(view_method):
    """Make a DRF view method (`post(self, request, ...)`) idempotent per user and
    Idempotency-Key (see the module docstring)."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        key = key.strip()
        if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
            return Response({"code": "idempotency_key_invalid", "detail": gettext(
                "The Idempotency-Key header must be 1 to %(limit)s printable characters (letters, digits, "
                "punctuation).") % {"limit": MAX_KEY_LENGTH}}, status=400)
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                stored = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=fingerprint,
                                                       status_code=0, response_body={})
                response = view_method(view, request, *args, **kwargs)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                    return response
                stored.status_code = response.status_code
                stored.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                stored.save(update_fields=["status_code", "response_body"])
        except IntegrityError as error:
            if violated_constraint(error) != ONE_KEY_PER_USER:
                raise
            # Used before, or by a request that committed while this one waited.
            return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
        return response

    return wrapper


def _fingerprint(request) -> str:
    body = request.data
    if hasattr(body, "lists"):  # a form's QueryDict: every value of every field
        body = dict(body.lists())
    canonical = json.dumps([request.method, request.path, body], sort_keys=True, separators=(",", ":"),
                           cls=JSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        return Response({"code": "idempotency_key_reused",
                         "detail": gettext("This Idempotency-Key was used for a different request.")}, status=422)
    return Response(stored.response_body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})


def idempotency_keys_expire(*, now: datetime | None = None) -> int:
    """Forget the keys older than KEY_LIFETIME (beat task, hourly). Returns how many."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=now - KEY_LIFETIME).delete()
    return deleted
