import pytest
from django.urls import reverse

from portal.appointments.models import SessionTemplate


@pytest.fixture
def booked(book, slot):
    return book(slot)


def test_admin_sees_only_own_hospital(client_for, booked, hospital_admin, other_hospital_admin, other_department):
    from .factories import SlotFactory

    foreign = SlotFactory(department=other_department)
    own = client_for(hospital_admin)
    listing = own.get(reverse("admin:appointments_appointment_changelist")).content.decode()
    assert booked.reference in listing
    assert own.get(reverse("admin:appointments_appointment_change", args=[booked.pk])).status_code == 200
    other = client_for(other_hospital_admin)
    assert booked.reference not in other.get(reverse("admin:appointments_appointment_changelist")).content.decode()
    assert other.get(reverse("admin:appointments_appointment_change", args=[booked.pk])).status_code in (302, 403, 404)
    slots = own.get(reverse("admin:appointments_slot_changelist")).content.decode()
    assert f"/{foreign.pk}/change/" not in slots


def test_session_template_department_choices_scoped(client_for, department, other_department, hospital_admin):
    page = client_for(hospital_admin).get(reverse("admin:appointments_sessiontemplate_add")).content.decode()
    assert f'<option value="{department.pk}">General practice</option>' in page
    assert "Cardiology" not in page


def test_admin_creates_session_template(client_for, department, hospital_admin):
    response = client_for(hospital_admin).post(reverse("admin:appointments_sessiontemplate_add"), {
        "department": department.pk, "doctor_name": "", "weekday": 1, "start_time": "09:00", "end_time": "12:00",
        "slot_minutes": 30, "capacity": 2, "valid_from": "2030-01-01", "valid_to": "", "is_active": "on",
    })
    assert response.status_code == 302
    assert SessionTemplate.objects.get().capacity == 2


def test_block_action_notifies(client_for, booked, slot, hospital_admin):
    response = client_for(hospital_admin).post(reverse("admin:appointments_slot_changelist"), {
        "action": "block_slots", "_selected_action": [slot.pk],
    })
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == "cancelled"
    assert booked.resident.notifications.filter(event="slot_blocked").exists()


def test_mark_attended_action(client_for, booked, hospital_admin):
    client_for(hospital_admin).post(reverse("admin:appointments_appointment_changelist"), {
        "action": "mark_attended", "_selected_action": [booked.pk],
    })
    booked.refresh_from_db()
    assert booked.status == "attended"
    assert booked.events.filter(action="attended").exists()


def test_other_admin_cannot_act_on_foreign_rows(client_for, booked, other_hospital_admin):
    client_for(other_hospital_admin).post(reverse("admin:appointments_appointment_changelist"), {
        "action": "mark_attended", "_selected_action": [booked.pk],
    })
    booked.refresh_from_db()
    assert booked.status == "booked"
