"""API fuzzing: schemathesis generates requests from the portal's own OpenAPI
schema (/api/schema/) and sends them to the Django app in-process (WSGI), signed
in (a session cookie, both factors used, and a CSRF token: the API's only
authentication) as a resident, as a hospital admin, as centre staff (of the centre
the resident consented to) and as the resident's caregiver. Every
response must be no server error and must match the schema (status code,
content type, body, headers). Path parameters and ids in bodies are replaced
by real objects half of the time, so operations reach real rows, not only 404s.

The number of generated cases per role is reported at the end of the run
(tests/conftest.py, `pytest_terminal_summary`) and written to
artifacts/fuzz-summary.txt."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi import checks

from portal.wsgi import application
from tests.conftest import sign_in

MAX_EXAMPLES = 25
ROLES = ["resident", "hospital_admin", "centre_staff", "caregiver"]

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())


# A schema cannot say that a slot must exist or that the resident's profile must
# hold the chosen identity document, so a schema-valid request may rightly get a
# documented 400 or 409: "schema-valid data must be accepted" does not apply here.
EXCLUDED_CHECKS = [checks.positive_data_acceptance]
# Sending each case again without and with wrong credentials costs 40% of the run;
# done for one role (the access matrix covers who may reach what).
AUTH_PROBE_ROLE = "resident"


# Which real objects fill which path parameter or body field.
PATH_VALUES = {
    "slug": lambda world, path: world.medicine_slugs if path.startswith("/api/v1/medicines/") else world.hospital_slugs,
    "reference": lambda world, path: world.references,
    "hospital_id": lambda world, path: world.hospital_ids,
    "id": lambda world, path: world.care_link_ids if path.startswith("/api/v1/care-links/") else world.transfer_ids,
    "claim_id": lambda world, path: world.claim_ids,
}
# `resident`: the person acted for (the caregiver's elder), in bodies and queries.
BODY_VALUES = {"slot": "slot_ids", "route": "route_ids", "resident": "resident_ids"}
# Django accepts a CSRF cookie and header holding the same 32-character secret.
CSRF_TOKEN = "fuzz" * 8


def _signed_in(user) -> dict:
    """The cookies and header a browser signed in as `user` sends to the API."""
    session = sign_in(Client(), user).cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: CSRF_TOKEN},
            "headers": {"X-CSRFToken": CSRF_TOKEN}}


def _use_real_objects(case, world, data):
    for name in list(case.path_parameters or {}):
        if name in PATH_VALUES and data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(PATH_VALUES[name](world, case.path)))
    if isinstance(case.body, dict):
        for name, attribute in BODY_VALUES.items():
            if name in case.body and data.draw(st.booleans(), label=f"real {name}"):
                case.body[name] = data.draw(st.sampled_from(getattr(world, attribute)))
    if isinstance(case.query, dict) and "resident" in case.query and data.draw(st.booleans(), label="real resident"):
        case.query["resident"] = data.draw(st.sampled_from(world.resident_ids))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_conforms_to_its_schema(label, role, world, record_property):
    operation = SCHEMA.find_operation_by_label(label)
    auth = _signed_in(world.users[role])
    excluded = EXCLUDED_CHECKS if role == AUTH_PROBE_ROLE else [*EXCLUDED_CHECKS, checks.ignored_auth]
    cases = []

    @given(case=operation.as_strategy(), data=st.data())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case, data):
        _use_real_objects(case, world, data)
        cases.append(case)
        case.call_and_validate(excluded_checks=excluded, **auth)

    run()
    record_property("fuzz_role", role)
    record_property("fuzz_cases", len(cases))
    assert cases
