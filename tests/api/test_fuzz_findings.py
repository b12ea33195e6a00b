"""Regression tests for what the API fuzzing found (tests/api/test_schemathesis.py)."""

import pytest


def test_huge_slot_id_is_a_400_not_a_database_error(client_for, world):
    client = client_for(world.users["resident"])

    for path in ("/api/v1/appointments/", f"/api/v1/appointments/{world.references[0]}/reschedule/"):
        response = client.post(path, {"slot": 10**22, "reason": "x", "id_document": "travel_permit"},
                               content_type="application/json")

        assert response.status_code == 400
        assert "slot" in response.json()


# (A control character in the address is refused before routing: tests/core/test_bad_input.py.)
@pytest.mark.parametrize("path", ["/api/v1/transfers/-1/", "/api/v1/hospitals/a%20b/", "/api/v1/nothing-here/"])
def test_unmatched_api_url_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unmatched_page_url_is_still_the_html_404(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_voucher_balance_is_nullable_in_the_schema(client):
    # No voucher registry configured: the account answer carries no balance at all.
    schema = client.get("/api/schema/?format=json").json()
    account = schema["components"]["schemas"]["AccountOut"]["properties"]

    assert account["balance"]["nullable"] is True
    assert "LedgerEntry" not in schema["components"]["schemas"]
