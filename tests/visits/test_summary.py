"""The health summary (issue 19 item 2): kept by the resident or a caregiver with
the right, printed as a card in Simplified Chinese with the resident's language
beside it, showing only what the resident chose."""

import pytest
from django.urls import reverse

from portal.centres.models import AccessLogEntry
from portal.visits.models import HealthSummary
from tests import factories
from tests.hospitals.factories import ConnectItemFactory


@pytest.fixture
def lorlatinib(db):
    return ConnectItemFactory(slug="lorlatinib", generic_name_en="Lorlatinib", generic_name_zh_hant="勞拉替尼",
                              generic_name_zh_hans="劳拉替尼", brand_name_en="Lorbrena", brand_name_zh_hans="博瑞纳")


def form_data(item=None, **overrides):
    data = {"other_medicines": "Amlodipine 5 mg once a day", "allergies": "Penicillin: rash",
            "conditions": "High blood pressure", "emergency_contact_name": "CHAN Siu Fan",
            "emergency_contact_phone": "+852 9123 4567", "show_medicines": "on", "show_allergies": "on",
            "show_conditions": "on", "show_emergency_contact": "on"}
    if item is not None:
        data["connect_items"] = [str(item.pk)]
    data.update(overrides)
    return data


def test_the_resident_keeps_a_summary_and_prints_the_card(client_for, resident, lorlatinib):
    client = client_for(resident)
    page = client.get(reverse("visits:summary")).content.decode()
    assert "Lorlatinib (Lorbrena)" in page  # picked from the Connect list with its brand name
    response = client.post(reverse("visits:summary"), form_data(lorlatinib))
    assert response.status_code == 302
    summary = HealthSummary.objects.get(resident=resident)
    assert list(summary.connect_items.all()) == [lorlatinib] and summary.updated_by == resident
    card = client.get(reverse("visits:summary_card")).content.decode()
    assert 'lang="zh-hans"' in card and 'lang="en"' in card
    assert "健康摘要" in card and "Health summary" in card
    assert "劳拉替尼" in card and "博瑞纳" in card and "Lorlatinib" in card
    assert "Penicillin: rash" in card and "+85291234567" in card


def test_the_card_shows_only_what_the_resident_chose(client_for, resident):
    client = client_for(resident)
    client.post(reverse("visits:summary"), form_data(show_allergies="", show_emergency_contact=""))
    card = client.get(reverse("visits:summary_card")).content.decode()
    assert "High blood pressure" in card
    assert "Penicillin" not in card and "CHAN Siu Fan" not in card


def test_a_simplified_chinese_reader_gets_one_column(client_for, resident):
    resident.language = "zh-hans"
    resident.save(update_fields=["language"])
    client = client_for(resident)
    client.post(reverse("visits:summary"), form_data())
    card = client.get(reverse("visits:summary_card")).content.decode()
    assert "健康摘要" in card and 'lang="en"' not in card.split("summary-card", 1)[1]


def test_a_bad_phone_number_is_refused_clearly(client_for, resident):
    response = client_for(resident).post(reverse("visits:summary"), form_data(emergency_contact_phone="not a phone"))
    assert response.status_code == 400
    assert not HealthSummary.objects.exists()


def test_a_caregiver_with_the_right_keeps_it_and_each_read_is_logged(client_for, resident):
    link = factories.make_caregiver(resident, rights=("health_summary",))
    client = client_for(link.caregiver)
    url = reverse("visits:summary_for", args=[resident.pk])
    assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(resident=resident, care_link=link, what="health_summary").exists()
    assert client.post(url, form_data()).status_code == 302
    summary = HealthSummary.objects.get(resident=resident)
    assert summary.updated_by == link.caregiver and summary.updated_via == link
    assert client.get(reverse("visits:summary_card_for", args=[resident.pk])).status_code == 200


def test_a_caregiver_without_the_right_is_told_plainly(client_for, resident):
    link = factories.make_caregiver(resident)  # every right but the health summary
    response = client_for(link.caregiver).get(reverse("visits:summary_for", args=[resident.pk]))
    assert response.status_code == 403
    assert "health summary" in response.content.decode()
    assert client_for(link.caregiver).post(reverse("visits:summary_for", args=[resident.pk]),
                                           form_data()).status_code == 403
    assert not HealthSummary.objects.exists()


def test_strangers_centre_staff_and_hospital_admins_get_nothing(client_for, resident, other_resident, centre_staff,
                                                                centre, hospital_admin):
    factories.give_consent(resident, centre)
    for user in (other_resident, centre_staff, hospital_admin):
        assert client_for(user).get(reverse("visits:summary_for", args=[resident.pk])).status_code == 404
        assert client_for(user).get(reverse("visits:summary_card_for", args=[resident.pk])).status_code == 404
