"""OpenAPI schema generation: the error answers every API view can give, documented
once instead of on each view. DRF answers a failed permission check with 403
(session authentication comes first, so there is no 401 challenge), an unknown
object or page with 404, and invalid input with 400; views that declare their
own body for one of these codes keep it. Any request may be refused before it
reaches a view: 400 for control characters in its address or body, 413 for a
body over the limit (portal.core.bad_input), 403 for staff who have not used
their second factor in the session, 429 when throttled."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetail(serializers.Serializer):
    detail = serializers.CharField()


# DRF's validation error: field name (or "non_field_errors", "detail") -> messages.
VALIDATION_ERRORS = {
    "type": "object",
    "description": "Field name -> error messages, or a rule's {code, detail, ...}.",
    "additionalProperties": {},
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        detail = self.resolve_serializer(ErrorDetail, "response").ref

        def add(code: str, description: str, schema: dict) -> None:
            responses.setdefault(code, {"content": {"application/json": {"schema": schema}},
                                        "description": description})

        add("400", "Invalid input.", VALIDATION_ERRORS)
        if not all(issubclass(permission, AllowAny) for permission in getattr(self.view, "permission_classes", [])):
            add("403", "Not signed in, or not allowed.", detail)
        else:
            add("403", "Staff who have not used their second factor in this session.", detail)
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            add("404", "Not found (or not yours), or a page past the end.", detail)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            add("413", "The request body is over the limit.", detail)
        add("429", "Too many requests: try again later.", detail)
        return responses


class SessionWithSecondFactorScheme(SessionScheme):
    """The API's session authentication documents as DRF's (a cookie)."""

    target_class = "portal.accounts.second_factor.SessionAuthenticationWithSecondFactor"
