"""Each role sees only its scope: in the Django admin and outside it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.accounts.roles import CENTRE_STAFF, HOSPITAL_ADMINS
from portal.centres.models import Consent
from portal.centres.selectors import residents_assisted_by, staff_can_assist
from tests.factories import give_consent

pytestmark = pytest.mark.django_db


def test_groups_and_permissions_exist_after_migrations():
    admins = Group.objects.get(name=HOSPITAL_ADMINS)
    assert admins.permissions.filter(codename="change_hospital").exists()
    assert Group.objects.filter(name=CENTRE_STAFF).exists()


def test_hospital_admin_sees_only_own_hospital_in_admin(client_for, hospital, other_hospital, hospital_admin):
    client = client_for(hospital_admin)
    changelist = client.get(reverse("admin:hospitals_hospital_changelist"))
    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert hospital.name_en in page
    assert other_hospital.name_en not in page
    assert client.get(reverse("admin:hospitals_hospital_change", args=[hospital.pk])).status_code == 200
    # Another hospital's change page is refused (the admin redirects away with a message or 404s).
    other = client.get(reverse("admin:hospitals_hospital_change", args=[other_hospital.pk]))
    assert other.status_code in (302, 403, 404)
    assert other_hospital.name_en not in other.content.decode()
    denied = client.post(reverse("admin:hospitals_hospital_change", args=[other_hospital.pk]), {"name_en": "Hacked"})
    other_hospital.refresh_from_db()
    assert other_hospital.name_en == "Tuen Mun Hospital"
    assert denied.status_code in (302, 403, 404)


def test_hospital_admin_cannot_manage_users(client_for, hospital_admin):
    response = client_for(hospital_admin).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 403


def test_resident_and_centre_staff_cannot_enter_admin(client_for, resident, centre_staff):
    for user in (resident, centre_staff):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_superuser_sees_every_hospital(client_for, hospital, other_hospital, superuser):
    page = client_for(superuser).get(reverse("admin:hospitals_hospital_changelist")).content.decode()
    assert hospital.name_en in page and other_hospital.name_en in page


def test_centre_staff_scope_follows_consent(centre, other_centre, centre_staff, other_centre_staff, resident, other_resident):
    consent = give_consent(resident, centre)
    assert staff_can_assist(centre_staff, resident)
    assert not staff_can_assist(centre_staff, other_resident)
    assert not staff_can_assist(other_centre_staff, resident)
    assert list(residents_assisted_by(centre_staff)) == [resident]
    assert list(residents_assisted_by(other_centre_staff)) == []
    Consent.objects.filter(pk=consent.pk).update(revoked_at=consent.granted_at)
    assert not staff_can_assist(centre_staff, resident)


def test_staff_without_two_factor_are_sent_to_set_it_up(client_for, hospital):
    from tests.factories import make_hospital_admin

    admin_without_totp = make_hospital_admin(hospital)
    response = client_for(admin_without_totp).get("/en/dashboard/")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/totp/activate/")


def test_residents_do_not_need_two_factor(client_for, resident):
    assert client_for(resident).get("/en/dashboard/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_role_groups_come_back_after_a_flush():
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    admins = Group.objects.get(name=HOSPITAL_ADMINS)
    assert admins.permissions.filter(codename="change_department").exists()
    assert Group.objects.get(name=CENTRE_STAFF).permissions.filter(codename="view_hospital").exists()
