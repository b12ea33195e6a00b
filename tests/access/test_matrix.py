"""Issue #9 item 4: every endpoint in tests/access/cases.py x every role."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.access.cases import CASES, DENY, OWN, PASSWORD_ONLY, ROLES, SEES

pytestmark = pytest.mark.django_db

MATRIX = [(case, role) for case in CASES for role in ROLES]


def _request(client, case, world):
    url = case.url(world)
    data = case.data(world) if case.data else None
    if case.json:
        return client.generic(case.method.upper(), url, json.dumps(data or {}), content_type="application/json")
    return getattr(client, case.method)(url, data or {})


@pytest.mark.parametrize(("case", "role"), MATRIX, ids=[f"{c.name}-{r}" for c, r in MATRIX])
def test_access(client_for, world, case, role):
    expected = case.expect[role]
    client = client_for(world.user(role), second_factor=not role.endswith(PASSWORD_ONLY))
    if case.prepare:
        case.prepare(client, world)
    response = _request(client, case, world)
    if getattr(response, "streaming", False):  # file downloads: read the stream
        body = b"".join(response.streaming_content).decode(errors="replace")
    else:
        body = response.content.decode(errors="replace")
    secret = case.secret(world) if case.secret else None
    assert response.status_code < 500, f"{case.name} as {role}: server error {response.status_code}"
    if role.endswith(PASSWORD_ONLY):  # asked for the second factor: a page to enter it, or 403 from the API
        assert response.status_code in (302, 403), f"{case.name} as {role}: got {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("mfa_reauthenticate")), response["Location"]
    elif expected == DENY and role == "anonymous" and response.status_code == 302:
        assert "/login/" in response["Location"], f"{case.name}: anonymous sent to {response['Location']}"
    elif expected == DENY:
        assert response.status_code in case.deny_status, f"{case.name} as {role}: expected denial, got {response.status_code}"
        if response.status_code == 302 and role == "anonymous":
            assert "/login/" in response["Location"], f"{case.name}: anonymous sent to {response['Location']}"
    else:
        assert response.status_code in case.allow_status, f"{case.name} as {role}: expected access, got {response.status_code}"
    if secret:
        if expected == SEES and response.status_code == 200:
            assert secret in body, f"{case.name} as {role}: the owner's data is missing"
        if expected in (DENY, OWN):
            assert secret not in body, f"{case.name} as {role}: the owner's data leaked"


def test_matrix_is_complete_and_recorded():
    """Every case names an outcome for every role; the table is written to
    artifacts/access-matrix.md (kept by CI) and its size printed."""
    for case in CASES:
        assert set(case.expect) == set(ROLES), case.name
        assert set(case.expect.values()) <= {SEES, OWN, DENY}, case.name
    assert len({case.name for case in CASES}) == len(CASES), "case names must be unique"
    short = {SEES: "sees", OWN: "own", DENY: "—"}
    lines = [f"# Access matrix: {len(CASES)} endpoints x {len(ROLES)} roles = {len(MATRIX)} checks", "",
             "| endpoint | " + " | ".join(ROLES) + " |", "|---" * (len(ROLES) + 1) + "|"]
    lines += [f"| {c.name} | " + " | ".join(short[c.expect[r]] for r in ROLES) + " |" for c in CASES]
    out = Path(settings.BASE_DIR) / "artifacts" / "access-matrix.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(lines[0])
    assert len(MATRIX) == len(CASES) * len(ROLES) > 0
