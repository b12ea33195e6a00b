"""The visit guide (issue 19 item 1): the page, its print version, the messages,
and who may open it."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.centres.models import AccessLogEntry
from portal.notifications.models import Notification
from portal.visits.models import VisitPreferences
from portal.visits.selectors import documents_to_bring
from tests import factories


def guide_url(appointment, language="en"):
    with translation.override(language):
        return reverse("visits:guide", args=[appointment.reference])


def test_the_guide_shows_what_the_resident_needs_on_the_day(client_for, resident, appointment, hours):
    response = client_for(resident).get(guide_url(appointment))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Your Hong Kong identity card", "Mainland Travel Permit", "Futian Port",
                 "Shuttle bus every 30 minutes, free for 60+.", "06:30-22:30 (test figure)",
                 "WeChat Pay", "Alipay", "Cash at the Hong Kong patients&#x27;", appointment.reference,
                 "cross-boundary health record QR code", "Not known: ask at the hospital"):
        assert text in html, text
    assert "css/visits.css" in html and "data-print" in html


def test_what_is_not_known_is_said(client_for, resident, appointment):
    html = client_for(resident).get(guide_url(appointment)).content.decode()
    assert "Not known to the portal: check before you travel." in html  # no opening hours recorded
    assert "Not known to the portal: ask at the hospital's information desk." in html  # no counter recorded


@pytest.mark.parametrize("language, expected", [("zh-hant", "香港身份證"), ("zh-hans", "香港身份证")])
def test_the_guide_is_in_the_readers_language(client_for, resident, appointment, language, expected):
    html = client_for(resident).get(guide_url(appointment, language)).content.decode()
    assert expected in html


@pytest.mark.parametrize("document, expected", [
    ("hkid", ["hkid", "travel_permit"]), ("coe", ["coe", "travel_permit"]),
    ("macao_id", ["macao_id", "travel_permit"]), ("", ["home_id_unknown", "travel_permit"])])
def test_documents_come_from_the_residents_identity_document(appointment, resident, document, expected):
    resident.profile.id_document_type = document
    resident.profile.save()
    appointment.id_document = "travel_permit"
    assert documents_to_bring(resident, appointment) == expected


def test_another_crossing_can_be_chosen_and_remembered(client_for, resident, appointment):
    other = factories.BorderPointFactory(code="lo-wu", name_en="Luohu Port")
    client = client_for(resident)
    html = client.get(guide_url(appointment), {"crossing": "lo-wu"}).content.decode()
    assert "Luohu Port" in html and "Not known to the portal for this crossing." in html
    client.post(guide_url(appointment), {"crossing": "lo-wu", "remember": "on"})
    assert VisitPreferences.objects.get(resident=resident).usual_crossing == other
    assert "your usual crossing" in client.get(guide_url(appointment)).content.decode()


def test_an_unknown_crossing_is_refused_clearly(client_for, resident, appointment):
    response = client_for(resident).post(guide_url(appointment), {"crossing": "nowhere", "remember": "on"})
    assert response.status_code == 400
    assert not VisitPreferences.objects.exists()


def test_a_caregiver_with_the_right_opens_it_and_the_read_is_logged(client_for, resident, appointment):
    link = factories.make_caregiver(resident, rights=("appointments",))
    url = reverse("visits:for_guide", args=[resident.pk, appointment.reference])
    html = client_for(link.caregiver).get(url).content.decode()
    assert "Futian Port" in html
    assert AccessLogEntry.objects.filter(resident=resident, care_link=link).exists()
    # The balance is the resident's: a caregiver sees whether vouchers apply, not a figure.
    assert "HK$" not in html
    # The usual crossing is the resident's own choice.
    client_for(link.caregiver).post(url, {"crossing": "futian", "remember": "on"})
    assert not VisitPreferences.objects.exists()


def test_a_caregiver_without_the_right_is_refused(client_for, resident, appointment):
    link = factories.make_caregiver(resident, rights=("messages",))
    url = reverse("visits:for_guide", args=[resident.pk, appointment.reference])
    assert client_for(link.caregiver).get(url).status_code in (403, 404)


def test_strangers_and_hospital_admins_get_nothing(client_for, other_resident, hospital_admin, appointment):
    for user in (other_resident, hospital_admin):
        assert client_for(user).get(guide_url(appointment)).status_code == 404
        url = reverse("visits:for_guide", args=[appointment.resident.pk, appointment.reference])
        assert client_for(user).get(url).status_code in (403, 404)


def test_the_confirmation_carries_the_guide_in_each_recipients_language(resident, appointment):
    message = Notification.objects.get(recipient=resident, event="appointment_booked")
    assert "Visit guide" in message.body
    assert "Your Hong Kong identity card" in message.body and "Futian Port" in message.body
    assert "WeChat Pay" in message.body and "eHealth" in message.body


def test_the_caregivers_copy_of_the_confirmation_is_in_their_language(resident, department):
    from datetime import timedelta

    from django.utils import timezone

    from portal.appointments import services
    from tests.appointments.factories import SlotFactory

    link = factories.make_caregiver(resident)  # zh-hans, with every right
    resident.profile.id_document_type = "hkid"
    resident.profile.id_document_number = "A1234563"
    resident.profile.save()
    slot = SlotFactory(department=department, starts_at=timezone.now() + timedelta(days=2))
    services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="x", id_document="hkid")
    copy = Notification.objects.get(recipient=link.caregiver, event="appointment_booked")
    assert "香港身份证" in copy.body and "福田口岸" in copy.body


def test_the_24_hour_reminder_carries_the_guide_and_the_2_hour_one_does_not(resident, appointment):
    from datetime import timedelta

    from portal.appointments.services import appointment_reminders_send

    appointment_reminders_send(now=appointment.starts_at - timedelta(hours=23))
    day_before = Notification.objects.get(recipient=resident, event="appointment_reminder")
    assert "Visit guide" in day_before.body and "Mainland Travel Permit" in day_before.body
    appointment_reminders_send(now=appointment.starts_at - timedelta(hours=1))
    last = Notification.objects.filter(recipient=resident, event="appointment_reminder").order_by("-id").first()
    assert last.pk != day_before.pk and "Visit guide" not in last.body


def test_the_appointment_page_links_to_the_guide(client_for, resident, appointment):
    html = client_for(resident).get(reverse("appointments:detail", args=[appointment.reference])).content.decode()
    assert guide_url(appointment) in html
