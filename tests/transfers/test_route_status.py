"""Route status: every route says whether it is running, a drill only or planned,
and only a running route can be requested, on the page and through the API
(the one rule: portal.transfers.services.route_refusal)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from portal.transfers.models import Route, TransferRequest
from tests import factories

from .test_api import payload
from .test_pages import form_data


@pytest.fixture
def drill_route(hospital, border_point):
    qeh = factories.HospitalFactory(slug="qeh", name_en="Queen Elizabeth Hospital")
    return Route.objects.create(sending_hospital=qeh, receiving_hospital=hospital, border_point=border_point,
                                direction="northbound", status=Route.Status.DRILL,
                                status_source_en="Northbound drill, 10 Feb 2026", status_as_of="2026-02-10")


@pytest.mark.parametrize("language, refusal", [
    ("en", "only been tested in a drill"), ("zh-hant", "演練"), ("zh-hans", "演练")])
def test_the_page_refuses_a_drill_route_in_the_readers_language(client_for, resident, drill_route, language, refusal):
    with translation.override(language):
        url = reverse("transfers:new")
    response = client_for(resident).post(url, form_data(drill_route))
    assert response.status_code == 400
    assert refusal in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_the_api_refuses_a_drill_route_with_the_reason(client_for, resident, drill_route):
    response = client_for(resident).post("/api/v1/transfers/", payload(drill_route), content_type="application/json")
    assert response.status_code == 400
    assert "only been tested in a drill" in str(response.json())
    assert not TransferRequest.objects.exists()


def test_a_planned_route_is_refused_and_a_running_one_accepted(client_for, resident, route, drill_route):
    drill_route.status = Route.Status.PLANNED
    drill_route.save()
    client = client_for(resident)
    refused = client.post("/api/v1/transfers/", payload(drill_route), content_type="application/json")
    assert refused.status_code == 400 and "planned but not running" in str(refused.json())
    accepted = client.post("/api/v1/transfers/", payload(route), content_type="application/json")
    assert accepted.status_code == 201
    assert TransferRequest.objects.get().route == route


def test_the_page_lists_every_route_with_its_status_but_offers_only_running_ones(client_for, resident, route,
                                                                               drill_route):
    response = client_for(resident).get(reverse("transfers:new"))
    page = response.content.decode()
    assert "Drill only" in page and "Running" in page
    assert "Northbound drill, 10 Feb 2026" in page and "10 February 2026" in page
    offered = [value for value, _label in response.context["form"].fields["route"].choices]
    assert offered == [str(route.pk)]


def test_the_database_refuses_an_unknown_status(route):
    with pytest.raises(IntegrityError):
        Route.objects.filter(pk=route.pk).update(status="rumoured")


def test_the_demo_marks_the_northbound_drill(db):
    from portal.core.demo import load_all

    load_all()
    drill = Route.objects.get(sending_hospital__slug="qeh", receiving_hospital__slug="hku-szh")
    assert drill.status == Route.Status.DRILL and drill.status_source_zh_hant and drill.status_as_of
    assert Route.objects.exclude(status=Route.Status.RUNNING).count() == 1
