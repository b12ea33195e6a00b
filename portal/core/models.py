"""Shared tables that belong to no single domain."""

from django.conf import settings
from django.db import models

# The constraint portal.core.idempotency recognises when two requests race with one key.
ONE_KEY_PER_USER = "core_idempotency_one_key_per_user"


class IdempotencyKey(models.Model):
    """The answer to an API write sent with an Idempotency-Key header, kept so a
    repeat of the request gets the same answer (portal.core.idempotency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # sha256 of the method, the path and the canonical body: a repeat must be the same request
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name=ONE_KEY_PER_USER)]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
