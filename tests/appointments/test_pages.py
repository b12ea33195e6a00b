import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.appointments import services
from portal.appointments.models import Appointment
from tests import factories


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for(None).get(reverse("appointments:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hospital_link_starts_the_flow(client_for, booker, slot, hospital, department):
    client = client_for(booker)
    response = client.get(reverse("appointments:index") + f"?hospital={hospital.slug}")
    assert response["Location"] == reverse("appointments:book_hospital", args=[hospital.slug])
    response = client.get(reverse("appointments:index") + f"?hospital={hospital.slug}&department={department.pk}")
    assert response["Location"] == reverse("appointments:book_department", args=[hospital.slug, department.pk])


def test_booking_flow(client_for, booker, slot, hospital, department):
    # An elder with a Hong Kong identity card may choose to pay with vouchers.
    booker.profile.id_document_type, booker.profile.id_document_number = "hkid", "C668668(9)"
    booker.profile.date_of_birth = datetime.date(1950, 5, 1)
    booker.profile.save()
    client = client_for(booker)
    page = client.get(reverse("appointments:index"))
    assert hospital.name in page.content.decode()
    page = client.get(reverse("appointments:book_hospital", args=[hospital.slug]))
    assert department.display_name in page.content.decode()
    page = client.get(reverse("appointments:book_department", args=[hospital.slug, department.pk]))
    assert reverse("appointments:book_slot", args=[slot.pk]) in page.content.decode()
    page = client.get(reverse("appointments:book_slot", args=[slot.pk]))
    html = page.content.decode()
    assert "H99990000" not in html  # never the full number
    assert booker.profile.masked_travel_permit in html
    assert 'name="pay_with_vouchers"' in html
    response = client.post(reverse("appointments:book_slot", args=[slot.pk]),
                           {"reason": "Knee pain", "id_document": "travel_permit", "pay_with_vouchers": "on"})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", args=[appointment.reference])
    assert appointment.pay_with_vouchers
    detail = client.get(response["Location"]).content.decode()
    assert appointment.reference in detail and ".ics" in detail
    listing = client.get(reverse("appointments:index")).content.decode()
    assert appointment.reference in listing


def test_directions_from_nearest_border_point(client_for, book, booker, slot):
    factories.BorderPointFactory()
    factories.BorderPointFactory(code="lo-wu", name_en="Luohu Port", latitude="22.531", longitude="114.114")
    appointment = book(slot)
    html = client_for(booker).get(reverse("appointments:detail", args=[appointment.reference])).content.decode()
    # hospital at 22.540, 114.050: Luohu is about 6.6 km away, Shenzhen Bay about 11 km
    assert "Luohu Port" in html and "6.6 km" in html


def test_form_errors_keep_input(client_for, booker, slot):
    response = client_for(booker).post(reverse("appointments:book_slot", args=[slot.pk]), {"reason": "Sore eye", "id_document": ""})
    assert response.status_code == 400
    assert "Sore eye" in response.content.decode()
    assert not Appointment.objects.exists()


def test_taken_message_lists_alternatives(client_for, book, booker, make_slot, new_resident):
    full = make_slot(capacity=1)
    alternative = make_slot(capacity=1, starts_at=full.starts_at + timedelta(hours=1))
    book(full, resident=new_resident())
    response = client_for(booker).post(reverse("appointments:book_slot", args=[full.pk]),
                                       {"reason": "Check", "id_document": "travel_permit"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "just taken" in html
    assert reverse("appointments:book_slot", args=[alternative.pk]) in html


def test_taken_message_in_traditional_chinese(client_for, book, booker, make_slot, new_resident):
    full = make_slot(capacity=1)
    book(full, resident=new_resident())
    response = client_for(booker).post(f"/zh-hant/appointments/book/slot/{full.pk}/",
                                       {"reason": "Check", "id_document": "travel_permit"})
    assert response.status_code == 409
    assert "剛被" in response.content.decode()


def test_cancel_and_reschedule_pages(client_for, book, booker, make_slot):
    first, second = make_slot(), make_slot()
    appointment = book(first)
    client = client_for(booker)
    page = client.get(reverse("appointments:reschedule", args=[appointment.reference]) + f"?date={timezone.localtime(second.starts_at):%Y-%m-%d}")
    assert f'value="{second.pk}"' in page.content.decode()
    response = client.post(reverse("appointments:reschedule", args=[appointment.reference]), {"slot": second.pk})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.slot == second
    response = client.post(reverse("appointments:cancel", args=[appointment.reference]))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_cancel_after_cutoff_explains(client_for, book, booker, make_slot):
    appointment = book(make_slot(starts_at=timezone.now() + timedelta(hours=3)))
    response = client_for(booker).post(reverse("appointments:cancel", args=[appointment.reference]))
    assert response.status_code == 409
    assert "too late" in response.content.decode()


@pytest.mark.parametrize("who", ["stranger", "other_hospital_admin", "centre_staff", "hospital_admin"])
def test_others_get_404_on_every_page(request, client_for, book, slot, make_slot, who):
    appointment = book(slot)
    client = client_for(request.getfixturevalue(who))
    for name in ("detail", "calendar", "cancel", "reschedule"):
        assert client.get(reverse(f"appointments:{name}", args=[appointment.reference])).status_code == 404
    assert client.post(reverse("appointments:cancel", args=[appointment.reference])).status_code == 404
    assert client.post(reverse("appointments:reschedule", args=[appointment.reference]), {"slot": make_slot().pk}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.slot == slot


def test_on_behalf_pages_need_consent(client_for, book, booker, slot, centre, centre_staff, other_centre_staff, stranger):
    appointment = book(slot)
    url = reverse("appointments:for_detail", args=[booker.pk, appointment.reference])
    assert client_for(centre_staff).get(url).status_code == 404  # no consent yet
    factories.give_consent(booker, centre)
    staff = client_for(centre_staff)
    assert staff.get(url)["Location"].startswith(reverse("centres:case_open", args=[booker.pk]))  # why first
    staff.post(reverse("centres:case_open", args=[booker.pk]), {"reason": "appointment"})
    assert staff.get(url).status_code == 200
    assert client_for(other_centre_staff).get(url).status_code == 404
    assert client_for(stranger).get(url).status_code == 404
    assert staff.get(reverse("appointments:for_index", args=[booker.pk])).status_code == 200


def test_on_behalf_booking_is_attributed(client_for, booker, slot, centre, centre_staff):
    factories.give_consent(booker, centre)
    client = client_for(centre_staff)
    client.post(reverse("centres:case_open", args=[booker.pk]), {"reason": "appointment"})
    response = client.post(reverse("appointments:for_book_slot", args=[booker.pk, slot.pk]),
                           {"reason": "Escorted visit", "id_document": "travel_permit"})
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("appointments:for_detail", args=[booker.pk, appointment.reference])
    assert appointment.resident == booker and appointment.booked_by == centre_staff
    html = client_for(booker).get(reverse("appointments:detail", args=[appointment.reference])).content.decode()
    assert "service centre" in html


def test_waitlist_join_from_a_full_day(client_for, book, booker, make_slot, new_resident, department):
    full = make_slot(capacity=1)
    book(full, resident=new_resident())
    client = client_for(booker)
    day = timezone.localtime(full.starts_at).date()
    response = client.post(reverse("appointments:waitlist_join"), {"department": department.pk, "date": day.isoformat()})
    assert response.status_code == 302
    assert booker.waitlist_entries.get().status == "waiting"
    assert "Waiting list" in client.get(reverse("appointments:index")).content.decode()


def test_query_counts_are_fixed(client_for, book, booker, make_slot, django_assert_max_num_queries):
    for _ in range(3):
        book(make_slot())
    client = client_for(booker)
    with django_assert_max_num_queries(12):
        client.get(reverse("appointments:index"))
    for _ in range(5):
        book(make_slot())
    with django_assert_max_num_queries(12):
        client.get(reverse("appointments:index"))
    slot = make_slot()
    with django_assert_max_num_queries(12):
        client.get(reverse("appointments:book_department", args=[slot.department.hospital.slug, slot.department_id]))


def test_service_error_is_not_a_server_error(client_for, booker, make_slot):
    past = make_slot(starts_at=timezone.now() - timedelta(hours=2))
    response = client_for(booker).post(reverse("appointments:book_slot", args=[past.pk]), {"reason": "x", "id_document": "travel_permit"})
    assert response.status_code == 409
    assert str(services.SlotUnavailable.default_message) in response.content.decode()


def test_voucher_option_explains_why_not_for_an_ineligible_resident(client_for, booker, slot):
    page = client_for(booker).get(reverse("appointments:book_slot", args=[slot.pk])).content.decode()
    assert 'name="pay_with_vouchers"' not in page
    assert 'id="voucher-check"' in page
