"""Issue 15: a birth date of 9999-12-31 was accepted (the vouchers page then
said "from 1 January 10064"). A date of birth lies between 1900-01-01 and today,
on the profile page and in the admin (a validator on the column)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _save(client, born: str, language: str = "en"):
    return client.post(reverse("accounts:profile_edit").replace("/en/", f"/{language}/", 1),
                       {"name_en": "CHAN Tai Man", "name_zh": "陳大文", "date_of_birth": born,
                        "id_document_type": "", "id_document_number": "", "travel_permit_number": "",
                        "phone": "", "mainland_phone": ""})


@pytest.mark.parametrize("born", ["9999-12-31", "1899-12-31", "0001-01-01"])
def test_an_impossible_date_of_birth_is_refused(client_for, resident, born):
    response = _save(client_for(resident), born)
    assert response.status_code == 400
    assert "Enter a date of birth between" in response.content.decode()
    resident.profile.refresh_from_db()
    assert resident.profile.date_of_birth != date.fromisoformat(born)


def test_tomorrow_is_refused_and_today_accepted(client_for, resident):
    today = timezone.localdate()
    client = client_for(resident)
    assert _save(client, (today + timedelta(days=1)).isoformat()).status_code == 400
    assert _save(client, today.isoformat()).status_code == 302
    assert _save(client, "1900-01-01").status_code == 302


def test_the_message_is_in_the_readers_language(client_for, resident):
    response = _save(client_for(resident), "9999-12-31", "zh-hant")
    assert "至今天之間的出生日期" in response.content.decode()


def test_the_admin_refuses_it_too(client_for, superuser, resident):
    url = reverse("admin:accounts_user_change", args=[resident.pk])
    page = client_for(superuser).get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"email": resident.email, "language": "en", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
                 "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1", "profile-MIN_NUM_FORMS": "0",
                 "profile-MAX_NUM_FORMS": "1", "profile-0-id": resident.profile.pk, "profile-0-user": resident.pk,
                 "profile-0-date_of_birth": "9999-12-31", "profile-0-name_en": "CHAN Tai Man"})
    response = client_for(superuser).post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Enter a date of birth between" in response.content.decode()
    resident.profile.refresh_from_db()
    assert resident.profile.date_of_birth != date(9999, 12, 31)
