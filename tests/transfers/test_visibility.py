"""No party sees a transfer that does not involve them, on pages or the API;
list pages have a fixed query count."""

import pytest
from django.urls import reverse

from portal.transfers import services
from tests.transfers.conftest import follow

from .conftest import submit

INSIDE = ["resident", "sending_admin", "receiving_admin", "consenting_staff", "follower", "superuser"]
OUTSIDE = ["other_resident", "third_hospital_admin", "other_centre_staff", "centre_staff"]


@pytest.fixture
def followed(transfer, resident, follower):
    follow(transfer, follower)
    return transfer


def _get(request, client_for, who, url):
    return _client(request, client_for, who).get(url)


def _client(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    if who == "consenting_staff":  # centre staff give a reason first (it goes in the resident's access log)
        client.post(reverse("centres:case_open", args=[request.getfixturevalue("resident").pk]), {"reason": "transfer"})
    return client


@pytest.mark.parametrize("who", INSIDE)
def test_parties_see_the_transfer(request, client_for, followed, who):
    page = _get(request, client_for, who, reverse("transfers:detail", kwargs={"pk": followed.pk}))
    assert page.status_code == 200
    assert followed.reference in page.content.decode()
    api = _get(request, client_for, who, f"/api/v1/transfers/{followed.pk}/")
    assert api.status_code == 200 and api.json()["reference"] == followed.reference
    listing = _get(request, client_for, who, "/api/v1/transfers/")
    assert [row["reference"] for row in listing.json()] == [followed.reference]


@pytest.mark.parametrize("who", OUTSIDE)
def test_others_get_404_and_empty_lists(request, client_for, followed, who):
    if who == "centre_staff":  # staff of the right centre, but the resident has not consented
        pass
    assert _get(request, client_for, who, reverse("transfers:detail", kwargs={"pk": followed.pk})).status_code == 404
    assert _get(request, client_for, who, f"/api/v1/transfers/{followed.pk}/").status_code == 404
    assert _get(request, client_for, who, "/api/v1/transfers/").json() == []
    index = _get(request, client_for, who, reverse("transfers:index"))
    assert followed.reference not in index.content.decode()
    post = client_for(request.getfixturevalue(who)).post(
        f"/api/v1/transfers/{followed.pk}/moves/", {"to": "cancelled", "note": "x"}, content_type="application/json")
    assert post.status_code == 404


def test_follower_sees_timeline_not_clinical_details(client_for, followed, follower):
    page = client_for(follower).get(reverse("transfers:detail", kwargs={"pk": followed.pk})).content.decode()
    assert "Timeline" in page and "Submitted" in page
    assert "Stable after stroke." not in page
    assert client_for(follower).get(f"/api/v1/transfers/{followed.pk}/").json()["details"] is None


def test_hospital_list_only_own_hospitals(client_for, resident, route, sending_admin, third_hospital_admin):
    transfer = submit(resident, route)
    assert transfer.reference in client_for(sending_admin).get(reverse("transfers:hospital")).content.decode()
    assert client_for(third_hospital_admin).get(reverse("transfers:hospital")).status_code == 200
    assert transfer.reference not in client_for(third_hospital_admin).get(reverse("transfers:hospital")).content.decode()
    assert client_for(resident).get(reverse("transfers:hospital")).status_code == 404


def test_admin_lists_scoped_and_read_only(client_for, resident, route, sending_admin, third_hospital_admin):
    transfer = submit(resident, route)
    listing = client_for(sending_admin).get("/en/admin/transfers/transferrequest/")
    assert listing.status_code == 200 and transfer.reference in listing.content.decode()
    change = client_for(sending_admin).get(f"/en/admin/transfers/transferrequest/{transfer.pk}/change/")
    assert change.status_code == 200 and 'type="submit" value="Save"' not in change.content.decode()
    other = client_for(third_hospital_admin).get("/en/admin/transfers/transferrequest/")
    assert transfer.reference not in other.content.decode()
    assert client_for(third_hospital_admin).get(
        f"/en/admin/transfers/transferrequest/{transfer.pk}/change/").status_code in (302, 404)


@pytest.mark.parametrize("url", ["/en/transfers/", "/en/transfers/hospital/", "/api/v1/transfers/"])
def test_list_query_count_does_not_grow(client_for, resident, route, sending_admin, django_assert_max_num_queries, url):
    client = client_for(sending_admin if "hospital" in url else resident)
    submit(resident, route)
    client.get(url)
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    for _ in range(5):
        submit(resident, route)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_sending_admin_corrects_route_fee_in_admin(client_for, route, sending_admin, receiving_admin):
    from portal.transfers.models import Route

    assert client_for(sending_admin).get(f"/en/admin/transfers/route/{route.pk}/change/").status_code == 200
    # The receiving side does not set the sending side's price.
    assert client_for(receiving_admin).get(f"/en/admin/transfers/route/{route.pk}/change/").status_code in (302, 403, 404)
    assert Route.objects.get(pk=route.pk).fee_rmb == 4990


def test_residents_see_which_hospital_acted_not_the_staff_member(client_for, transfer, resident, sending_admin):
    services.transfer_review(actor=sending_admin, transfer=transfer)
    page = client_for(resident).get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).content.decode()
    assert "Clinically reviewed" in page and "Sending hospital" in page
    assert sending_admin.email not in page
    staff_page = client_for(sending_admin).get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).content.decode()
    assert sending_admin.email in staff_page
