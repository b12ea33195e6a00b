"""Issue 15, "staff two-step sign-in can be skipped": HTTP Basic gave the API to a
staff password alone, and a staff session without its second factor opened every
door. Now the API takes only the session, and no door gives staff data until the
second factor is used in that session. (tests/access/ runs every door of the
access matrix for staff signed in by password only.)"""

import base64
import time
from datetime import date, timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from portal.transfers import services as transfer_services
from portal.transfers.models import Route
from tests import factories
from tests.factories import PASSWORD, give_consent

pytestmark = pytest.mark.django_db


def _basic(user) -> str:
    return "Basic " + base64.b64encode(f"{user.email}:{PASSWORD}".encode()).decode()


def _code(user) -> str:
    """The code the staff member's authenticator app shows now."""
    secret = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def consenting(resident, centre):
    profile = resident.profile
    profile.date_of_birth, profile.phone = date(1950, 5, 17), "+85291234567"
    profile.save()
    give_consent(resident, centre)
    return resident


def _resident_api(resident) -> str:
    return reverse("api:centre-resident", args=[resident.pk]) + "?why=enquiry"


def test_http_basic_gives_no_resident_data(client, centre_staff, consenting):
    response = client.get(_resident_api(consenting), HTTP_AUTHORIZATION=_basic(centre_staff))
    assert response.status_code == 403
    body = response.content.decode()
    assert consenting.email not in body and "1950-05-17" not in body and "91234567" not in body


def test_http_basic_cannot_move_a_transfer(client, resident, hospital, other_hospital, hospital_admin):
    route = Route.objects.create(sending_hospital=hospital, receiving_hospital=other_hospital,
                                 border_point=factories.BorderPointFactory(), direction="southbound")
    transfer = transfer_services.transfer_submit(
        actor=resident, requester=resident, route=route, patient_kind="self", clinical_summary="Stable.",
        preferred_date=date.today() + timedelta(days=3), consent_to_share=True)
    response = client.post(reverse("api:transfers-moves", args=[transfer.pk]), {"to": "clinically_reviewed"},
                           content_type="application/json", HTTP_AUTHORIZATION=_basic(hospital_admin))
    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.state == "submitted"


def test_a_staff_password_alone_opens_no_door(client_for, centre_staff, consenting):
    client = client_for(centre_staff, second_factor=False)
    console = client.get(reverse("centres:console"))
    assert console.status_code == 302
    assert console["Location"] == reverse("mfa_reauthenticate") + "?next=" + reverse("centres:console").replace("/", "%2F")
    api = client.get(_resident_api(consenting))
    assert api.status_code == 403
    assert "two-step sign-in" in api.json()["detail"]
    assert consenting.email not in api.content.decode()


def test_the_api_refuses_staff_without_second_factor_on_its_own(client_for, centre_staff, consenting, settings):
    """The API's authentication checks the second factor itself, not only the
    middleware in front of it."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("RequireStaffTwoFactorMiddleware")]
    refused = client_for(centre_staff, second_factor=False).get(_resident_api(consenting))
    assert refused.status_code == 403
    assert consenting.email not in refused.content.decode()
    allowed = client_for(centre_staff).get(_resident_api(consenting))
    assert allowed.status_code == 200
    assert allowed.json()["email"] == consenting.email


def test_entering_the_code_opens_the_staff_doors(client_for, centre_staff, consenting):
    client = client_for(centre_staff, second_factor=False)
    assert client.get(reverse("mfa_reauthenticate")).status_code == 200
    answer = client.post(reverse("mfa_reauthenticate") + "?next=" + reverse("centres:console"),
                         {"code": _code(centre_staff)})
    assert answer.status_code == 302 and answer["Location"] == reverse("centres:console")
    assert client.get(reverse("centres:console")).status_code == 200
    assert client.get(_resident_api(consenting)).json()["email"] == consenting.email


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator on commit
def test_a_new_staff_member_sets_up_totp_and_is_in(client, centre):
    """The first sign-in: password, set up the authenticator (allauth asks for the
    password again first), and the code typed to activate it counts as used."""
    staff = factories.make_centre_staff(centre, email="new.staff@gz-centre.example.com")
    signed_in = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert signed_in["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("centres:console"))["Location"] == reverse("mfa_activate_totp")
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    code = format_hotp_value(hotp_value(client.session["mfa.totp.secret"], int(time.time()) // 30))
    assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302
    assert client.get(reverse("centres:console")).status_code == 200


def test_a_wrong_code_opens_nothing(client_for, centre_staff):
    client = client_for(centre_staff, second_factor=False)
    wrong = str((int(_code(centre_staff)) + 1) % 1_000_000).zfill(6)
    assert client.post(reverse("mfa_reauthenticate"), {"code": wrong}).status_code == 200
    assert client.get(reverse("centres:console")).status_code == 302


@pytest.mark.parametrize("door", ["admin:index", "admin:hospitals_hospital_changelist", "transfers:hospital"])
def test_hospital_admin_doors_wait_for_the_second_factor(client_for, hospital_admin, door):
    assert client_for(hospital_admin, second_factor=False).get(reverse(door)).status_code == 302
    assert client_for(hospital_admin).get(reverse(door)).status_code == 200


def test_residents_sign_in_with_a_password(client_for, resident):
    client = client_for(resident, second_factor=False)
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert client.get(reverse("api:transfers-list")).status_code == 200


def test_the_admins_own_sign_in_form_does_not_skip_the_second_factor(client, hospital_admin):
    """Django's admin has a password-only sign-in form of its own."""
    signed_in = client.post(reverse("admin:login"), {"username": hospital_admin.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(reverse("admin:index"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("mfa_reauthenticate"))
    assert client.get(reverse("admin:transfers_transferrequest_changelist")).status_code == 302
