"""Copies of an elder's messages to their caregivers: each in the caregiver's own
language and channels, stopped at once when the right goes (also for a copy
written before the right went, at send time)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from portal.appointments import services as appointment_services
from portal.care import services
from portal.notifications import sending
from portal.notifications.backends import LocmemMessageBackend
from portal.notifications.models import Delivery, Notification
from tests import factories
from tests.appointments.factories import SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_elder(elder):
    elder.notify_by_sms, elder.notify_by_email = True, False
    elder.save(update_fields=["notify_by_sms", "notify_by_email"])
    return elder


@pytest.fixture
def slot(hospital):
    department = factories.DepartmentFactory(hospital=hospital)
    return SlotFactory(department=department, capacity=2, starts_at=timezone.now() + timedelta(days=3))


def book(slot, elder, actor=None):
    return appointment_services.appointment_book(actor=actor or elder, resident=elder, slot_id=slot.pk,
                                                 reason="Check-up", id_document="travel_permit")


def test_a_caregiver_gets_their_own_copy_in_their_language(elder, caregiver, slot):
    appointment = book(slot, elder)
    own = Notification.objects.get(recipient=elder, event="appointment_booked")
    copy = Notification.objects.get(recipient=caregiver, event="appointment_booked")
    assert (own.language, own.care_link, copy.language) == ("zh-hant", None, "zh-hans")
    assert appointment.reference in copy.subject and appointment.reference in copy.body
    assert "预约" in copy.body and "預約" not in copy.body  # Simplified, the caregiver's
    assert elder.display_name in copy.subject
    # It opens the page the caregiver uses to act for the elder, in their language.
    assert copy.link == f"/zh-hans/appointments/for/{elder.pk}/{appointment.reference}/"
    assert copy.group_key == own.group_key


def test_each_is_delivered_on_their_own_channels(sms_elder, caregiver, slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, sms_elder)
    assert [message["to"] for message in LocmemMessageBackend.outbox] == ["+85291234567"]
    assert "預約" in LocmemMessageBackend.outbox[0]["body"]
    assert [message.to for message in mail.outbox] == [[caregiver.email]]
    assert "预约" in mail.outbox[0].subject + mail.outbox[0].body


def test_no_copy_without_the_messages_right_or_after_revocation(elder, care_link, slot, other_resident):
    factories.make_caregiver(elder, other_resident, rights=("appointments",))
    services.care_link_revoke(actor=elder, link_id=care_link.pk)
    book(slot, elder)
    assert list(Notification.objects.filter(event="appointment_booked").values_list("recipient", flat=True)) == [
        elder.pk]


def test_reminders_reach_both_in_their_own_language(elder, caregiver, slot):
    appointment = book(slot, elder)
    appointment_services.appointment_reminders_send(now=appointment.starts_at - timedelta(hours=23))
    reminders = {n.recipient_id: n for n in Notification.objects.filter(event="appointment_reminder")}
    assert set(reminders) == {elder.pk, caregiver.pk}
    assert "預約" in reminders[elder.pk].subject and reminders[elder.pk].language == "zh-hant"
    assert "预约" in reminders[caregiver.pk].subject
    assert reminders[caregiver.pk].language == "zh-hans" and reminders[caregiver.pk].care_link_id is not None


def test_a_copy_written_before_revocation_is_not_sent(elder, care_link, slot, monkeypatch):
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))  # the worker has not run yet
    book(slot, elder)
    copy = Delivery.objects.get(notification__recipient=care_link.caregiver)
    # The relationship ends without the service (another process, an end date passing):
    type(care_link).objects.filter(pk=care_link.pk).update(end_date=timezone.localdate() - timedelta(days=1))
    assert sending.deliver(copy.pk) == "skipped"
    copy.refresh_from_db()
    assert copy.state == Delivery.State.CANCELLED and not mail.outbox
    own = Delivery.objects.get(notification__recipient=elder)
    assert sending.deliver(own.pk) == "sent"


def test_revoking_cancels_the_copies_not_yet_sent(elder, care_link, slot, monkeypatch):
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    book(slot, elder)
    services.care_link_revoke(actor=elder, link_id=care_link.pk)
    copy = Notification.objects.get(recipient=care_link.caregiver, event="appointment_booked")
    assert copy.cancelled_at is not None
    assert set(copy.deliveries.values_list("state", flat=True)) == {Delivery.State.CANCELLED}
    assert Notification.objects.get(recipient=elder, event="appointment_booked").cancelled_at is None


def test_taking_the_messages_right_away_cancels_unsent_copies(elder, care_link, slot, monkeypatch):
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    book(slot, elder)
    services.care_link_change(actor=elder, link_id=care_link.pk, rights=["appointments"])
    assert Notification.objects.get(recipient=care_link.caregiver, event="appointment_booked").cancelled_at


@pytest.fixture
def pending_claim(elder, hospital, hospital_admin):
    from portal.vouchers import services as voucher_services
    from portal.vouchers.models import ExchangeRate

    hospital.is_voucher_point, hospital.voucher_since = True, date(2015, 10, 6)
    hospital.save()
    department = factories.DepartmentFactory(hospital=hospital, accepts_vouchers=True)
    ExchangeRate.objects.create(month=timezone.localdate(), hkd_per_rmb=Decimal("1.08500"))
    elder.profile.date_of_birth = date(1950, 1, 1)
    elder.profile.save()

    def record():
        return voucher_services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                             service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))

    return record


def test_the_one_time_code_stays_with_the_elder_unless_relaying_it_was_granted(elder, care_link, pending_claim):
    _claim, code = pending_claim()
    own = Notification.objects.get(recipient=elder, event="vouchers_claim_pending")
    copy = Notification.objects.get(recipient=care_link.caregiver, event="vouchers_claim_pending")
    assert code in own.body
    assert code not in copy.body and code not in copy.subject and "code" not in copy.context
    assert elder.display_name in copy.body  # "the code was sent to <elder> only"


def test_with_the_relay_right_the_caregiver_gets_the_code(elder, care_link, pending_claim):
    services.care_link_change(actor=elder, link_id=care_link.pk, rights=["messages", "voucher_code"])
    _claim, code = pending_claim()
    copy = Notification.objects.get(recipient=care_link.caregiver, event="vouchers_claim_pending")
    assert code in copy.body


def test_care_messages_are_not_copied(elder, care_link, other_resident):
    services.care_link_request(actor=other_resident, email=elder.email, relationship="son")
    assert not Notification.objects.filter(recipient=care_link.caregiver).exists()
