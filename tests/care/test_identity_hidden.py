"""No page, message or API answer shows a caregiver the elder's full identity
numbers (identity card, travel permit): every page and API answer a caregiver can
open about the elder is rendered, and every message they received is read."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.appointments import services as appointment_services
from portal.notifications.models import Notification
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.care.conftest import make_transfer

pytestmark = pytest.mark.django_db

FULL_NUMBERS = ("A123456(3)", "A1234563", "A123456", "H12345678")


@pytest.fixture
def scene(elder, care_link, hospital, hospital_admin, django_capture_on_commit_callbacks):
    """The elder's appointment (booked by the caregiver), a waiting-list entry, a
    pending voucher claim and a reminder, all copied to the caregiver."""
    from portal.vouchers import services as voucher_services
    from portal.vouchers.models import ExchangeRate

    caregiver = care_link.caregiver
    care_link.voucher_code = True
    care_link.save()
    hospital.is_voucher_point, hospital.voucher_since = True, date(2015, 10, 6)
    hospital.save()
    department = factories.DepartmentFactory(hospital=hospital, accepts_vouchers=True)
    slots = [SlotFactory(department=department, capacity=2, starts_at=timezone.now() + timedelta(days=days))
             for days in (3, 4)]
    elder.profile.date_of_birth = date(1950, 1, 1)
    elder.profile.save()
    ExchangeRate.objects.create(month=timezone.localdate(), hkd_per_rmb=Decimal("1.08500"))
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_services.appointment_book(
            actor=caregiver, resident=elder, slot_id=slots[0].pk, reason="Check-up", id_document="hkid")
        appointment_services.waitlist_join(actor=caregiver, resident=elder, department_id=department.pk,
                                           day=timezone.localdate() + timedelta(days=5))
        appointment_services.appointment_reminders_send(now=appointment.starts_at - timedelta(hours=23))
        voucher_services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                      service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))
        transfer = make_transfer(elder, actor=caregiver)
    return {"elder": elder, "caregiver": caregiver, "appointment": appointment, "slot": slots[1],
            "link": care_link, "transfer": transfer}


def _pages(scene) -> list[str]:
    elder, appointment = scene["elder"], scene["appointment"]
    ref = appointment.reference
    pages = [
        reverse("core:dashboard"), reverse("care:index"), reverse("care:hub", args=[elder.pk]),
        reverse("notifications:inbox"),
        reverse("appointments:for_index", args=[elder.pk]),
        reverse("appointments:for_detail", args=[elder.pk, ref]),
        reverse("appointments:for_cancel", args=[elder.pk, ref]),
        reverse("appointments:for_reschedule", args=[elder.pk, ref]),
        reverse("appointments:for_book_slot", args=[elder.pk, scene["slot"].pk]),
        reverse("appointments:for_calendar", args=[elder.pk, ref]),
        f"/api/v1/appointments/?resident={elder.pk}",
        f"/api/v1/appointments/{ref}/?resident={elder.pk}",
        f"/api/v1/waitlist/?resident={elder.pk}",
        reverse("vouchers:for_index", args=[elder.pk]), reverse("vouchers:for_history", args=[elder.pk]),
        reverse("vouchers:for_statement", args=[elder.pk]), reverse("vouchers:for_statement_csv", args=[elder.pk]),
        f"/api/v1/vouchers/?resident={elder.pk}",
        reverse("transfers:index"), reverse("transfers:new_for", args=[elder.pk]),
        reverse("transfers:detail", args=[scene["transfer"].pk]), f"/api/v1/transfers/{scene['transfer'].pk}/",
        "/api/v1/transfers/",
        "/api/v1/care-links/",
        f"/api/v1/care-links/{scene['link'].pk}/",
    ]
    for notification in Notification.objects.filter(recipient=scene["caregiver"], send_after__lte=timezone.now()):
        pages.append(reverse("notifications:detail", args=[notification.pk]))
    return pages


def test_no_caregiver_page_or_api_answer_shows_a_full_identity_number(client_for, scene):
    client = client_for(scene["caregiver"])
    seen_masked = False
    for url in _pages(scene):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for number in FULL_NUMBERS:
            assert number not in body, f"{url} shows {number}"
        seen_masked |= "A****56(*)" in body
    assert seen_masked  # the pages do identify the elder, masked


def test_no_message_to_the_caregiver_shows_a_full_identity_number(scene):
    copies = Notification.objects.filter(recipient=scene["caregiver"])
    assert {n.event for n in copies} >= {"appointment_booked", "appointment_reminder", "vouchers_claim_pending",
                                         "transfer_state_changed"}
    for notification in copies:
        text = " ".join([notification.subject, notification.body, notification.body_html,
                         str(notification.context), notification.link])
        for number in FULL_NUMBERS:
            assert number not in text, f"{notification.event} shows {number}"
    sent = [message for message in mail.outbox if scene["caregiver"].email in message.to]
    assert sent
    for message in sent:
        text = message.subject + message.body + "".join(str(part[0]) for part in getattr(message, "alternatives", []))
        for number in FULL_NUMBERS:
            assert number not in text
