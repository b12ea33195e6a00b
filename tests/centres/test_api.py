"""The centre API: consenting residents only, every detail read logged."""

import pytest
from django.urls import reverse

from portal.centres.models import AccessLogEntry, Consent
from tests.factories import ProfileFactory, give_consent

pytestmark = pytest.mark.django_db


def test_list_shows_only_consenting_residents_masked(staff_client, resident, resident_profile, other_resident, consent):
    rows = staff_client.get(reverse("api:centre-residents")).json()
    assert [row["id"] for row in rows] == [resident.pk]
    assert rows[0]["masked_id_number"] == "A****56(*)"
    assert "A123456" not in str(rows)
    assert staff_client.get(reverse("api:centre-residents"), {"search": "3456"}).json()[0]["id"] == resident.pk
    assert staff_client.get(reverse("api:centre-residents"), {"search": "Lee"}).json() == []
    assert staff_client.get(reverse("api:centre-residents"), {"search": "A123456(3)"}).status_code == 400


def test_detail_requires_a_reason_and_writes_the_log(staff_client, centre_staff, resident, resident_profile, consent):
    url = reverse("api:centre-resident", args=[resident.pk])
    assert staff_client.get(url).status_code == 400
    assert not AccessLogEntry.objects.exists()
    data = staff_client.get(url, {"why": "enquiry"}).json()
    assert data["masked_id_number"] == "A****56(*)" and "A123456" not in str(data)
    assert AccessLogEntry.objects.get().actor == centre_staff


def test_no_consent_other_centre_residents_and_anonymous_get_nothing(client_for, centre_staff, other_centre_staff,
                                                                    resident, other_resident, consent):
    assert client_for(centre_staff).get(reverse("api:centre-resident", args=[other_resident.pk]), {"why": "x y z"}).status_code == 404
    other = client_for(other_centre_staff)
    assert other.get(reverse("api:centre-residents")).json() == []
    assert other.get(reverse("api:centre-resident", args=[resident.pk]), {"why": "x y z"}).status_code == 404
    assert client_for(resident).get(reverse("api:centre-residents")).status_code == 404
    assert client_for(None).get(reverse("api:centre-residents")).status_code in (401, 403)
    assert client_for(None).get(reverse("api:centre-access-log")).status_code in (401, 403)
    Consent.objects.update(revoked_at=consent.granted_at)
    assert client_for(centre_staff).get(reverse("api:centre-residents")).json() == []
    assert not AccessLogEntry.objects.exists()


def test_list_query_count_does_not_grow(staff_client, centre):
    from tests.centres.conftest import count_queries

    url = reverse("api:centre-residents")
    give_consent(ProfileFactory(name_en="WONG first").user, centre)
    staff_client.get(url)
    one = count_queries(lambda: staff_client.get(url))
    for index in range(10):
        give_consent(ProfileFactory(name_en=f"WONG {index}").user, centre)
    assert len(staff_client.get(url).json()) == 11
    assert count_queries(lambda: staff_client.get(url)) == one <= 8
