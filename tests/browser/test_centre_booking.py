"""Issue #8 end to end: a resident consents to a service centre; the centre's staff
find them, open the case with a reason, book an appointment for them through the
appointments on-behalf pages and ask for an escort to it; the resident sees the
booking (booked by the staff member, for the centre), the escort on the appointment
and the access-log entries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.models import Profile
from portal.appointments.models import Appointment
from portal.centres.models import AccessLogEntry, EscortRequest
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.browser.a11y import assert_no_serious_axe_violations
from tests.conftest import _with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_book_with_an_escort_for_a_consenting_resident(page_in, login_as, snap):
    centre = factories.ServiceCentreFactory(slug="gz-huangpu", name_en="HK-Macao Residents (Guangzhou) Health Service Centre")
    hospital = factories.HospitalFactory(slug="gdd-hospital", name_en="Guangzhou Development District Hospital")
    department = factories.DepartmentFactory(hospital=hospital)
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    SlotFactory(department=department, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2)
    resident = factories.ProfileFactory(
        user__email="resident@example.com", name_en="CHAN Tai Man", id_document_type=Profile.DocumentType.HKID,
        id_document_number="A123456(3)", phone="+85291234567", travel_permit_number="H55556666",
    ).user
    staff = _with_totp(factories.make_centre_staff(centre, email="staff@gz-centre.example.com"))
    factories.ProfileFactory(user=staff, name_en="ZHANG Min", name_zh="张敏")

    # 1. The resident allows the centre to assist them.
    resident_page = login_as(page_in("en-GB"), resident)
    resident_page.goto("/en/centre/consent/")
    resident_page.get_by_role("combobox", name="Service centre").select_option(label=centre.name_en)
    resident_page.get_by_label("I have read what the centre's staff will be able to see and do, and I agree.").check()
    resident_page.get_by_role("button", name="Give consent").click()
    expect(resident_page.get_by_text(f"{centre.name_en} can now assist you.")).to_be_visible()

    # 2. Staff find them in the console and open the case, saying why.
    staff_page = login_as(page_in("en-GB"), staff)
    staff_page.goto("/en/centre/")
    staff_page.get_by_label("Name, phone number or last 4 digits of the identity card").fill("3456")
    staff_page.get_by_role("button", name="Search").click()
    staff_page.get_by_role("link", name="Open the case of CHAN Tai Man").click()
    staff_page.get_by_label("Booking or changing an appointment").check()
    staff_page.get_by_role("button", name="Open the case").click()
    expect(staff_page.get_by_role("heading", name="Case: CHAN Tai Man", level=1)).to_be_visible()
    expect(staff_page.get_by_role("heading", name="Appointments", level=2)).to_be_visible()
    expect(staff_page.get_by_text("No upcoming appointments.")).to_be_visible()
    snap(staff_page, "case")

    # 3. They book for the resident through the appointments pages.
    staff_page.get_by_role("link", name="Book, change or cancel appointments for this resident").first.click()
    expect(staff_page.get_by_role("heading", name="Appointments of CHAN Tai Man", level=1)).to_be_visible()
    expect(staff_page.get_by_text("You are acting for CHAN Tai Man, with their consent.")).to_be_visible()
    staff_page.get_by_role("link", name=hospital.name_en).click()
    staff_page.get_by_role("link", name="General practice").click()
    staff_page.get_by_role("link", name="09:00").click()
    staff_page.get_by_label("Reason for your visit").fill("Blood pressure follow-up, needs a Cantonese speaker")
    staff_page.get_by_role("radio").first.check()
    staff_page.get_by_role("button", name="Confirm booking").click()
    expect(staff_page.get_by_text("Your appointment is booked.")).to_be_visible()
    appointment = Appointment.objects.get()
    assert (appointment.resident, appointment.booked_by) == (resident, staff)
    expect(staff_page.get_by_role("heading", name=f"Appointment {appointment.reference}", level=1)).to_be_visible()
    assert_no_serious_axe_violations(staff_page)

    # 4. ... and ask the centre for an escort to it, then assign one.
    staff_page.get_by_role("link", name="Request an escort for this appointment").click()
    expect(staff_page.get_by_role("combobox", name="Appointment booked through the portal")).to_have_value(
        appointment.reference)
    staff_page.get_by_role("combobox", name="Language the escort should speak").select_option(label="Cantonese")
    staff_page.get_by_role("button", name="Request the escort").click()
    expect(staff_page.get_by_text("The escort request has been recorded for CHAN Tai Man.")).to_be_visible()
    escort = EscortRequest.objects.get()
    assert (escort.appointment, escort.hospital, escort.visit_at) == (appointment, hospital, appointment.starts_at)
    staff_page.get_by_role("link", name="Escort requests").first.click()
    staff_page.get_by_role("combobox", name="Escort").select_option(label="ZHANG Min")
    staff_page.get_by_role("button", name="Assign").click()
    expect(staff_page.get_by_text("ZHANG Min will escort CHAN Tai Man. Both have been told.")).to_be_visible()
    snap(staff_page, "escort-assigned")

    # 5. The resident sees the booking, who made it, the escort, and the access log.
    resident_page.goto("/en/appointments/")
    card = resident_page.locator("li.card").filter(has_text=appointment.reference)
    expect(card.get_by_text(f"Booked by ZHANG Min ({centre.name_en})")).to_be_visible()
    card.get_by_role("link", name=f"{hospital.name_en} · General practice").click()
    escort_section = resident_page.locator("section").filter(
        has=resident_page.get_by_role("heading", name="Escort to this visit"))
    expect(escort_section.get_by_text("Escort assigned")).to_be_visible()
    expect(escort_section.get_by_text("Escort: ZHANG Min")).to_be_visible()
    expect(escort_section.get_by_text(f"{centre.name_en}, in Cantonese")).to_be_visible()
    snap(resident_page, "appointment-with-escort")
    assert_no_serious_axe_violations(resident_page)

    resident_page.goto("/en/centre/access-log/")
    rows = resident_page.get_by_role("row").filter(has_text="ZHANG Min")
    expect(rows.filter(has_text="Appointments").first).to_be_visible()
    expect(rows.filter(has_text="Booking or changing an appointment").first).to_be_visible()
    expect(rows.filter(has_text="Case overview").first).to_be_visible()
    snap(resident_page, "access-log")
    whats = set(AccessLogEntry.objects.filter(resident=resident).values_list("what", flat=True))
    assert {"case", "appointments", "escort"} <= whats
