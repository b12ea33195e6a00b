"""The API schema served at /api/schema/ is a valid OpenAPI 3 document, and
drf-spectacular generates it without a single warning."""

import json

from django.core.management import call_command
from drf_spectacular.validation import validate_schema


def test_served_schema_is_a_valid_openapi_3_document(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on anything that is not OpenAPI 3
    assert "/api/v1/appointments/" in schema["paths"]


def test_spectacular_validates_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (an unresolvable field type, a view without
    # a queryset or serializer, an enum name collision) into an error.
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")
