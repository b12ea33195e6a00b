"""Hospital admins keep the visit facts of their own hospitals only (as the
hospitals admin scopes them); the crossings' hours are for superusers."""

from portal.visits.models import CrossingRoute, HospitalVisitInfo

INFO = "/en/admin/visits/hospitalvisitinfo/"


def info_data(hospital, **changes):
    data = {"hospital": hospital.pk, "wechat_pay": "yes", "alipay": "unknown", "cash": "yes",
            "patients_counter_en": "Ground floor, counter 3", "payment_note_en": "", "source_en": "Admin",
            "source_url": "", "as_of": "2026-12-01"}
    data.update(changes)
    return data


def test_a_hospital_admin_keeps_their_hospitals_facts(client_for, hospital, hospital_admin):
    client = client_for(hospital_admin)
    assert client.post(f"{INFO}add/", info_data(hospital)).status_code == 302
    info = HospitalVisitInfo.objects.get(hospital=hospital)
    assert info.patients_counter_en == "Ground floor, counter 3"
    assert client.get(f"{INFO}{info.pk}/change/").status_code == 200


def test_a_hospital_admin_cannot_touch_another_hospitals_facts(client_for, hospital, other_hospital, hospital_admin):
    client = client_for(hospital_admin)
    response = client.post(f"{INFO}add/", info_data(other_hospital))
    assert response.status_code == 200  # the form refuses a hospital outside their scope
    assert not HospitalVisitInfo.objects.exists()
    theirs = HospitalVisitInfo.objects.create(hospital=other_hospital, patients_counter_en="Lobby")
    assert client.get(f"{INFO}{theirs.pk}/change/").status_code in (302, 403, 404)
    listing = client.get(INFO).content.decode()
    assert "Lobby" not in listing and other_hospital.name not in listing


def test_routes_from_crossings_are_scoped_too(client_for, hospital, other_hospital, hospital_admin):
    from tests.factories import BorderPointFactory

    point = BorderPointFactory()
    theirs = CrossingRoute.objects.create(hospital=other_hospital, border_point=point, transport_en="Bus 1")
    client = client_for(hospital_admin)
    assert client.get(f"/en/admin/visits/crossingroute/{theirs.pk}/change/").status_code in (302, 403, 404)


def test_crossing_hours_are_for_superusers(client_for, hospital_admin, superuser):
    assert client_for(hospital_admin).get("/en/admin/visits/crossinghours/").status_code == 403
    assert client_for(superuser).get("/en/admin/visits/crossinghours/").status_code == 200
