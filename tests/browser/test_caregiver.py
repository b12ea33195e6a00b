"""Issue 16 end to end: an elder (Traditional Chinese) invites his daughter, who
lives on the mainland and uses the portal in Simplified Chinese; she accepts, and
on /zh-hans/ books for him; his page shows she booked it; both get their
reminder, each in their own language and channel; he ends the arrangement; her
next attempt is refused with a plain message."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portal.appointments import services as appointment_services
from portal.appointments.models import Appointment
from portal.care.models import CareLink
from portal.centres.models import AccessLogEntry
from portal.notifications.models import Delivery, Notification
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.browser.a11y import assert_no_serious_axe_violations
from tests.browser.journey import t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSPITAL = {"en": "The University of Hong Kong-Shenzhen Hospital", "zh-hant": "香港大學深圳醫院",
            "zh-hans": "香港大学深圳医院"}
FATHER, DAUGHTER = "陳大文", "陈小芬"


@pytest.fixture
def clinic(transactional_db):
    hospital = factories.HospitalFactory(slug="hku-szh", name_en=HOSPITAL["en"], name_zh_hant=HOSPITAL["zh-hant"],
                                         name_zh_hans=HOSPITAL["zh-hans"])
    department = factories.DepartmentFactory(hospital=hospital)
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    SlotFactory(department=department, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2)
    SlotFactory(department=department, starts_at=start + timedelta(hours=1),
                ends_at=start + timedelta(hours=1, minutes=30), capacity=2)
    return department


def test_a_daughter_books_for_her_father_until_he_ends_it(page_in, login_as, snap, clinic):
    father = factories.ProfileFactory(
        user__email="father@example.com", user__language="zh-hant", user__notify_by_sms=True,
        user__notify_by_email=False, name_en="", name_zh=FATHER, id_document_type="hkid",
        id_document_number="A123456(3)", travel_permit_number="H12345678", phone="+85291234567").user
    daughter = factories.ProfileFactory(user__email="daughter@example.com", user__language="zh-hans",
                                        name_en="", name_zh=DAUGHTER).user  # no identity document

    # 1. He invites her (Traditional Chinese), choosing Simplified Chinese for the invitation.
    his = login_as(page_in("zh-HK"), father)
    his.goto("/zh-hant/care/")
    his.get_by_role("link", name=t("zh-hant", "Invite a caregiver")).click()
    his.get_by_label(t("zh-hant", "Their e-mail address")).fill(daughter.email)
    his.get_by_label(t("zh-hant", "Who are they to you?")).select_option(label="女兒")
    his.get_by_label(t("zh-hant", "Language of the invitation")).select_option(value="zh-hans")
    expect(his.get_by_label(t("zh-hant", "Book, change and cancel appointments, and join waiting lists"))).to_be_checked()
    assert_no_serious_axe_violations(his)
    his.get_by_role("button", name=t("zh-hant", "Send the invitation")).click()
    expect(his.get_by_text(t("zh-hant", "The invitation has been sent. When they accept it, they appear on this page."))
           ).to_be_visible()
    snap(his, "invited")
    invitation = next(message for message in mail.outbox if message.to == [daughter.email])
    assert "邀请" in invitation.body  # in the language he chose for her
    link_path = re.search(r"/zh-hans/care/invitation/[^/\s]+/", invitation.body).group(0)

    # 2. She opens the link signed in on /zh-hans/ and accepts.
    hers = login_as(page_in("zh-CN"), daughter)
    hers.goto(link_path)
    expect(hers.get_by_role("heading", name=t("zh-hans", "An invitation to be a caregiver"))).to_be_visible()
    hers.get_by_role("button", name=t("zh-hans", "Accept")).click()
    expect(hers.get_by_role("heading", level=1)).to_have_text(t("zh-hans", "Acting for %(name)s", name=FATHER))
    assert "A123456(3)" not in hers.content() and "A****56(*)" in hers.content()  # his number, masked
    assert_no_serious_axe_violations(hers)
    snap(hers, "acting-for")

    # 3. She books for him: every page says for whom.
    hers.get_by_role("link", name=t("zh-hans", "Appointments of %(name)s", name=FATHER)).click()
    acting = t("zh-hans", "You are acting for %(name)s, as their caregiver. Every change is recorded under your name "
                          "and shown to them.", name=FATHER)
    expect(hers.get_by_text(acting)).to_be_visible()
    hers.get_by_role("link", name=HOSPITAL["zh-hans"]).click()
    expect(hers.get_by_text(acting)).to_be_visible()
    hers.get_by_role("link", name=clinic.specialty.name_zh_hans).click()
    hers.get_by_role("link", name="09:00").click()
    expect(hers.get_by_text(acting)).to_be_visible()
    hers.get_by_label(t("zh-hans", "Reason for your visit")).fill("血压复诊")
    hers.get_by_label(t("zh-hans", "Mainland Travel Permit for Hong Kong and Macao Residents"), exact=False).check()
    assert "H12345678" not in hers.content()
    hers.get_by_role("button", name=t("zh-hans", "Confirm booking")).click()
    expect(hers.get_by_text(t("zh-hans", "Your appointment is booked."))).to_be_visible()
    expect(hers.get_by_text(t("zh-hans", "Booked by you, as caregiver"))).to_be_visible()
    assert_no_serious_axe_violations(hers)
    snap(hers, "booked-for-him")
    appointment = Appointment.objects.get()
    assert (appointment.resident, appointment.booked_by) == (father, daughter)

    # 4. His page shows who booked, in his language; his access log shows her reads.
    his.goto(f"/zh-hant/appointments/{appointment.reference}/")
    expect(his.get_by_text(t("zh-hant", "Booked by your %(relationship)s %(name)s", relationship="女兒",
                             name=DAUGHTER))).to_be_visible()
    assert_no_serious_axe_violations(his)
    snap(his, "his-appointment")
    his.goto("/zh-hant/centre/access-log/")
    expect(his.get_by_role("row").filter(has_text=DAUGHTER).first).to_be_visible()
    assert AccessLogEntry.objects.filter(resident=father, actor=daughter, what="appointments").exists()

    # 5. The reminder sweep: he gets his by SMS in Traditional Chinese, she gets hers by e-mail in Simplified.
    appointment_services.appointment_reminders_send(now=appointment.starts_at - timedelta(hours=23))
    his_reminder = Notification.objects.get(recipient=father, event="appointment_reminder")
    her_reminder = Notification.objects.get(recipient=daughter, event="appointment_reminder")
    assert his_reminder.language == "zh-hant" and "預約" in his_reminder.subject
    assert her_reminder.language == "zh-hans" and "预约" in her_reminder.body and FATHER in her_reminder.subject
    assert list(his_reminder.deliveries.values_list("channel", flat=True)) == [Delivery.Channel.SMS]
    assert list(her_reminder.deliveries.values_list("channel", flat=True)) == [Delivery.Channel.EMAIL]

    # 6. He ends the arrangement.
    his.goto("/zh-hant/care/")
    his.get_by_role("button", name=t("zh-hant", "End the arrangement with %(name)s", name=DAUGHTER)).click()
    expect(his.get_by_text(t("zh-hant", "Done: from now on they can no longer act for you or receive copies of your "
                                        "messages."))).to_be_visible()
    snap(his, "ended")
    assert CareLink.objects.get().status == "revoked"

    # 7. Her next attempt, from the page she still has open, is refused with a plain message.
    hers.get_by_role("link", name=t("zh-hans", "Cancel the appointment")).click()
    expect(hers.get_by_role("heading", level=1)).to_have_text(t("zh-hans", "Not allowed any more"))
    expect(hers.get_by_role("alert")).to_have_text(
        t("zh-hans", "%(name)s has not given you permission to manage their appointments, or it has ended.",
          name=FATHER))
    assert_no_serious_axe_violations(hers)
    snap(hers, "refused")
    assert Appointment.objects.get().status == "booked"
    # and the unsent copy of his reminder is not sent to her
    assert set(her_reminder.deliveries.values_list("state", flat=True)) == {Delivery.State.CANCELLED}
