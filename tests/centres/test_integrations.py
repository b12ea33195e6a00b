"""The console where it meets the other apps: case sections from appointments,
transfers and vouchers; the access log on their on-behalf pages; escorts linked
to appointments."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from portal.appointments import services as appointment_services
from portal.centres import services
from portal.centres.models import AccessLogEntry, EscortRequest
from portal.notifications.models import Notification
from portal.transfers import services as transfer_services
from portal.transfers.models import Route
from portal.vouchers import services as voucher_services
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.centres.conftest import count_queries, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(hospital):
    hospital.is_voucher_point = True
    hospital.save(update_fields=["is_voucher_point"])
    return factories.DepartmentFactory(hospital=hospital, accepts_vouchers=True)


@pytest.fixture
def booker(resident):
    resident.profile.travel_permit_number = "H99990000"
    resident.profile.save()
    return resident


def book(resident, department, actor=None):
    slot = SlotFactory(department=department, capacity=3)
    return appointment_services.appointment_book(actor=actor or resident, resident=resident, slot_id=slot.pk,
                                                 reason="Check-up", id_document="travel_permit")


@pytest.fixture
def appointment(booker, department):
    return book(booker, department)


@pytest.fixture
def route(hospital, other_hospital):
    return Route.objects.create(sending_hospital=hospital, receiving_hospital=other_hospital,
                                border_point=factories.BorderPointFactory(), direction="southbound", fee_rmb=4990,
                                notes_en="Fee", notes_zh_hant="收費", notes_zh_hans="收费")


def submit_transfer(requester, route, actor=None):
    return transfer_services.transfer_submit(
        actor=actor or requester, requester=requester, route=route, reverse_direction=False, patient_kind="self",
        clinical_summary="Stable after stroke.", mobility_needs="Stretcher", equipment_needs="Oxygen", escorts=[],
        preferred_date=date.today() + timedelta(days=3), consent_to_share=True,
    )


def make_elder(user):
    profile = user.profile
    profile.date_of_birth = date(1954, 3, 8)
    profile.id_document_type = "hkid"
    profile.id_document_number = "A123456(3)"
    profile.save()
    return voucher_services.account_open(user=user)


# --- Case sections -------------------------------------------------------------------------


def test_case_shows_appointments_transfers_and_vouchers_of_a_consenting_resident(
        staff_client, booker, consent, appointment, route):
    transfer = submit_transfer(booker, route)
    make_elder(booker)
    open_case(staff_client, booker)
    page = staff_client.get(reverse("centres:case", args=[booker.pk])).content.decode()
    assert "Nothing is linked here yet" not in page
    assert reverse("appointments:for_detail", args=[booker.pk, appointment.reference]) in page
    assert reverse("appointments:for_index", args=[booker.pk]) in page
    assert appointment.slot.department.hospital.name in page
    assert reverse("transfers:detail", args=[transfer.pk]) in page and transfer.reference in page
    assert reverse("transfers:new_for", args=[booker.pk]) in page
    # No voucher registry configured: no balance, and where to see it.
    assert "The portal shows no voucher balance" in page and "Balance: HK$" not in page
    # One entry for the case view; the sections add none of their own.
    assert AccessLogEntry.objects.filter(resident=booker).count() == 1


def test_case_shows_the_balance_from_the_registry_with_its_source(staff_client, booker, consent, settings):
    settings.VOUCHER_REGISTRY = "portal.vouchers.simulator.SimulatedVoucherRegistry"
    make_elder(booker)  # born 1954: HK$2,000 a year since 2019, capped at HK$8,000
    open_case(staff_client, booker)
    page = staff_client.get(reverse("centres:case", args=[booker.pk])).content.decode()
    assert "Balance: HK$8,000 (from Voucher system simulator, as of " in page
    assert 'data-testid="simulator-notice"' in page


def test_sections_are_not_shown_for_residents_without_consent(client_for, staff_client, other_centre_staff, booker,
                                                              other_resident, department, route, consent):
    other_resident.profile.travel_permit_number = "H99990001"
    other_resident.profile.save()
    theirs = book(other_resident, department)
    their_transfer = submit_transfer(other_resident, route)
    assert staff_client.get(reverse("centres:case", args=[other_resident.pk])).status_code == 404
    open_case(staff_client, booker)
    page = staff_client.get(reverse("centres:case", args=[booker.pk])).content.decode()
    assert theirs.reference not in page and their_transfer.reference not in page
    # Staff of another centre see nothing of the consenting resident either.
    assert client_for(other_centre_staff).get(reverse("centres:case", args=[booker.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(resident=other_resident).exists()


def test_case_view_query_count_does_not_grow_with_the_history(staff_client, booker, consent, department, route):
    open_case(staff_client, booker)
    url = reverse("centres:case", args=[booker.pk])
    book(booker, department)
    submit_transfer(booker, route)
    make_elder(booker)
    few = count_queries(lambda: staff_client.get(url))
    for _ in range(4):
        book(booker, department)
        submit_transfer(booker, route)
    many = count_queries(lambda: staff_client.get(url))
    assert many == few


# --- Access log on the on-behalf pages --------------------------------------------------------


def test_on_behalf_page_writes_one_entry_the_resident_sees(client_for, staff_client, centre_staff, booker, consent,
                                                           appointment):
    open_case(staff_client, booker, reason="appointment")
    response = staff_client.get(reverse("appointments:for_detail", args=[booker.pk, appointment.reference]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.resident, entry.what, entry.why) == (centre_staff, booker, "appointments", "appointment")
    page = client_for(booker).get(reverse("centres:access_log")).content.decode()
    assert "Booking or changing an appointment" in page and centre_staff.display_name in page


def test_every_on_behalf_page_goes_through_the_log(staff_client, booker, consent, appointment, department):
    open_case(staff_client, booker)
    hospital = department.hospital
    urls = [
        reverse("appointments:for_index", args=[booker.pk]),
        reverse("appointments:for_book_hospital", args=[booker.pk, hospital.slug]),
        reverse("appointments:for_book_department", args=[booker.pk, hospital.slug, department.pk]),
        reverse("appointments:for_detail", args=[booker.pk, appointment.reference]),
        reverse("appointments:for_calendar", args=[booker.pk, appointment.reference]),
        reverse("appointments:for_cancel", args=[booker.pk, appointment.reference]),
        reverse("appointments:for_reschedule", args=[booker.pk, appointment.reference]),
    ]
    for url in urls:
        assert staff_client.get(url).status_code == 200, url
    assert AccessLogEntry.objects.filter(resident=booker, what="appointments").count() == len(urls)


def test_on_behalf_page_without_a_reason_asks_for_one_first(staff_client, booker, consent, appointment):
    url = reverse("appointments:for_detail", args=[booker.pk, appointment.reference])
    response = staff_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("centres:case_open", args=[booker.pk]) + "?next=")
    assert not AccessLogEntry.objects.exists()
    given = staff_client.post(response["Location"], {"reason": "appointment", "other": ""})
    assert given["Location"] == url
    assert staff_client.get(url).status_code == 200
    assert AccessLogEntry.objects.count() == 1


def test_on_behalf_page_without_consent_is_404_and_logs_nothing(client_for, staff_client, other_centre_staff, booker,
                                                                appointment, centre):
    url = reverse("appointments:for_detail", args=[booker.pk, appointment.reference])
    assert staff_client.get(url).status_code == 404
    consent = factories.give_consent(booker, centre)
    open_case(staff_client, booker)
    assert client_for(other_centre_staff).get(url).status_code == 404
    services.consent_revoke(actor=booker, consent_id=consent.pk)
    assert staff_client.get(url).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_on_behalf_query_count_is_bounded(staff_client, booker, consent, appointment, django_assert_max_num_queries):
    open_case(staff_client, booker)
    url = reverse("appointments:for_detail", args=[booker.pk, appointment.reference])
    with django_assert_max_num_queries(20):
        assert staff_client.get(url).status_code == 200


def test_transfer_pages_for_centre_staff_write_the_log(client_for, staff_client, centre_staff, booker, consent, route,
                                                       hospital_admin):
    transfer = submit_transfer(booker, route)
    detail = reverse("transfers:detail", args=[transfer.pk])
    new_for = reverse("transfers:new_for", args=[booker.pk])
    for url in (detail, new_for):
        response = staff_client.get(url)
        assert response.status_code == 302 and "?next=" in response["Location"]
    assert not AccessLogEntry.objects.exists()
    open_case(staff_client, booker, reason="transfer")
    assert staff_client.get(detail).status_code == 200
    assert staff_client.get(new_for).status_code == 200
    entries = list(AccessLogEntry.objects.values_list("what", "why", "actor"))
    assert entries == [("transfers", "transfer", centre_staff.pk)] * 2
    # The resident and the hospital's admin read their own transfer without any log entry.
    assert client_for(booker).get(detail).status_code == 200
    assert client_for(hospital_admin).get(detail).status_code == 200
    assert AccessLogEntry.objects.count() == 2


def test_transfer_detail_without_consent_is_404_and_logs_nothing(client_for, other_centre_staff, booker, route,
                                                                 staff_client):
    transfer = submit_transfer(booker, route)
    assert staff_client.get(reverse("transfers:detail", args=[transfer.pk])).status_code == 404
    assert staff_client.get(reverse("transfers:new_for", args=[booker.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


# --- Escorts linked to appointments -----------------------------------------------------


def test_resident_asks_for_an_escort_for_an_appointment(client_for, staff_client, centre_staff, booker, consent,
                                                        appointment):
    client = client_for(booker)
    form_page = client.get(reverse("centres:my_escorts") + f"?appointment={appointment.reference}").content.decode()
    assert f'value="{appointment.reference}" selected' in form_page
    response = client.post(reverse("centres:my_escorts"), {
        "centre": consent.centre.pk, "language": "yue", "appointment": appointment.reference,
    })
    assert response.status_code == 302
    escort = EscortRequest.objects.get()
    assert escort.appointment == appointment
    assert escort.hospital == appointment.slot.department.hospital and escort.visit_at == appointment.starts_at
    assert escort.appointment_reference == appointment.reference
    services.escort_assign(actor=centre_staff, escort_id=escort.pk, staff_member=centre_staff)
    page = client.get(reverse("appointments:detail", args=[appointment.reference])).content.decode()
    assert "Escort assigned" in page and centre_staff.display_name in page and "Cantonese" in page
    open_case(staff_client, booker)
    page = staff_client.get(reverse("appointments:for_detail", args=[booker.pk, appointment.reference])).content.decode()
    assert "Escort assigned" in page and centre_staff.display_name in page


def test_escort_cannot_be_linked_to_someone_elses_appointment(client_for, booker, other_resident, consent, department):
    other_resident.profile.travel_permit_number = "H99990001"
    other_resident.profile.save()
    theirs = book(other_resident, department)
    response = client_for(booker).post(reverse("centres:my_escorts"), {
        "centre": consent.centre.pk, "language": "yue", "appointment": theirs.reference,
    })
    assert response.status_code == 400
    assert not EscortRequest.objects.exists()


def test_free_text_visit_still_needs_hospital_and_time(client_for, booker, consent):
    response = client_for(booker).post(reverse("centres:my_escorts"), {"centre": consent.centre.pk, "language": "yue"})
    assert response.status_code == 400
    assert "Choose the hospital of the visit" in response.content.decode()
    assert not EscortRequest.objects.exists()


def test_staff_request_an_escort_for_an_appointment_from_the_case(staff_client, centre_staff, booker, consent,
                                                                 appointment):
    open_case(staff_client, booker, reason="escort")
    case = staff_client.get(reverse("centres:case", args=[booker.pk])).content.decode()
    assert reverse("centres:escort_new_for", args=[booker.pk]) in case
    page = staff_client.get(reverse("centres:escort_new_for", args=[booker.pk])).content.decode()
    assert appointment.reference in page
    response = staff_client.post(reverse("centres:escort_new_for", args=[booker.pk]),
                                 {"language": "en", "appointment": appointment.reference})
    assert response.status_code == 302
    escort = EscortRequest.objects.get()
    assert (escort.appointment, escort.requested_by, escort.resident) == (appointment, centre_staff, booker)
    # A second request for the same appointment is refused, with the form kept.
    again = staff_client.post(reverse("centres:escort_new_for", args=[booker.pk]),
                              {"language": "en", "appointment": appointment.reference})
    assert again.status_code == 400 and "already been requested" in again.content.decode()


def test_cancelling_the_appointment_cancels_its_escort_and_tells_the_escort(client_for, centre_staff, booker, consent,
                                                                           appointment, department):
    centre_staff.language = "zh-hant"
    centre_staff.save()
    linked = services.escort_request_create(actor=booker, resident=booker, centre=consent.centre, language="yue",
                                            appointment=appointment)
    services.escort_assign(actor=centre_staff, escort_id=linked.pk, staff_member=centre_staff)
    other = book(booker, department)
    unrelated = services.escort_request_create(actor=booker, resident=booker, centre=consent.centre, language="yue",
                                               appointment=other)
    response = client_for(booker).post(reverse("appointments:cancel", args=[appointment.reference]))
    assert response.status_code == 302
    linked.refresh_from_db()
    unrelated.refresh_from_db()
    assert linked.status == "cancelled" and unrelated.status == "requested"
    told = Notification.objects.get(recipient=centre_staff, event="centres_escort_cancelled")
    assert told.language == "zh-hant" and booker.display_name in told.body


def test_escort_cancel_rolls_back_with_the_appointment(monkeypatch, booker, consent, appointment):
    escort = services.escort_request_create(actor=booker, resident=booker, centre=consent.centre, language="yue",
                                            appointment=appointment)

    def fail(**kwargs):
        raise RuntimeError("offer failed")

    monkeypatch.setattr(appointment_services, "_offer_freed_place", lambda *a, **k: fail())
    with pytest.raises(RuntimeError):
        appointment_services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    escort.refresh_from_db()
    appointment.refresh_from_db()
    assert escort.status == "requested" and appointment.status == "booked"


def test_booked_by_the_centre_is_shown_to_the_resident(client_for, centre_staff, booker, consent, department):
    booked = book(booker, department, actor=centre_staff)
    page = client_for(booker).get(reverse("appointments:index")).content.decode()
    assert booked.reference in page
    assert f"Booked by {centre_staff.display_name} ({consent.centre.name})" in page


def test_rescheduling_moves_the_escort_and_tells_the_escort(centre_staff, booker, consent, appointment, department):
    escort = services.escort_request_create(actor=booker, resident=booker, centre=consent.centre, language="yue",
                                            appointment=appointment)
    services.escort_assign(actor=centre_staff, escort_id=escort.pk, staff_member=centre_staff)
    later = SlotFactory(department=department, capacity=3)
    appointment_services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference,
                                                slot_id=later.pk)
    escort.refresh_from_db()
    assert escort.visit_at == later.starts_at and escort.status == "assigned"
    assert Notification.objects.filter(recipient=centre_staff, event="centres_escort_moved").exists()
