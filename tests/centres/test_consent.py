"""Residents grant and revoke consent; revocation takes effect on the next request."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.centres import services
from portal.centres.models import Consent
from tests.centres.conftest import open_case

pytestmark = pytest.mark.django_db


def test_consent_page_explains_scope_and_expiry_in_plain_words(client_for, resident, centre):
    page = client_for(resident).get(reverse("centres:consent"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "never see your full identity card" in text
    assert "book, change and cancel appointments" in text
    assert "12 months unless you choose 3 or 6 months" in text
    assert centre.name_en in text


def test_grant_with_chosen_months_then_list_and_revoke(client_for, resident, centre):
    client = client_for(resident)
    response = client.post(reverse("centres:consent"), {"centre": centre.pk, "months": "6", "confirm": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get(resident=resident, centre=centre)
    assert 180 <= (consent.expires_at - consent.granted_at).days <= 184
    page = client.get(reverse("centres:consent")).content.decode()
    assert "Withdraw consent for" in page
    response = client.post(reverse("centres:consent_revoke", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    page = client.get(reverse("centres:consent")).content.decode()
    assert "Past consents" in page and "Withdrawn on" in page


def test_default_is_twelve_months_and_form_errors_keep_input(client_for, resident, centre):
    client = client_for(resident)
    response = client.post(reverse("centres:consent"), {"centre": centre.pk, "months": "12"})
    assert response.status_code == 400
    assert "Tick the box to show that you agree." in response.content.decode()
    assert not Consent.objects.exists()
    response = client.post(reverse("centres:consent"), {"centre": centre.pk, "months": "24", "confirm": "on"})
    assert response.status_code == 400
    consent = services.consent_grant(actor=resident, centre=centre)
    assert 364 <= (consent.expires_at - consent.granted_at).days <= 366


def test_regrant_renews_instead_of_breaking_the_one_live_rule(resident, centre):
    first = services.consent_grant(actor=resident, centre=centre, months=3)
    second = services.consent_grant(actor=resident, centre=centre, months=12)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert list(Consent.objects.active().filter(resident=resident)) == [second]


def test_expired_unrevoked_consent_is_closed_at_its_expiry_on_regrant(resident, centre):
    old = Consent.objects.create(resident=resident, centre=centre, granted_at=timezone.now() - timedelta(days=400),
                                 expires_at=timezone.now() - timedelta(days=35))
    services.consent_grant(actor=resident, centre=centre, months=3)
    old.refresh_from_db()
    assert old.revoked_at == old.expires_at
    assert not old.was_withdrawn


def test_staff_cannot_give_consent_and_months_are_limited(centre_staff, centre, resident):
    with pytest.raises(ValidationError):
        services.consent_grant(actor=centre_staff, centre=centre)
    with pytest.raises(ValidationError):
        services.consent_grant(actor=resident, centre=centre, months=7)


def test_nobody_else_can_revoke_a_residents_consent(client_for, consent, other_resident, centre_staff):
    for user in (other_resident, centre_staff):
        assert client_for(user).post(reverse("centres:consent_revoke", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_revocation_takes_effect_at_once_in_the_same_staff_session(client_for, resident, consent, staff_client):
    assert open_case(staff_client, resident).status_code == 302
    case_url = reverse("centres:case", args=[resident.pk])
    assert staff_client.get(case_url).status_code == 200
    client_for(resident).post(reverse("centres:consent_revoke", args=[consent.pk]))
    # Same staff session, very next request: nothing.
    assert staff_client.get(case_url).status_code == 404
    assert staff_client.get(reverse("centres:case_open", args=[resident.pk])).status_code == 404
    response = staff_client.get(reverse("api:centre-resident", args=[resident.pk]), {"why": "enquiry"})
    assert response.status_code == 404


def test_expired_consent_gives_no_access(resident, centre, staff_client):
    Consent.objects.create(resident=resident, centre=centre, granted_at=timezone.now() - timedelta(days=100),
                           expires_at=timezone.now() - timedelta(seconds=1))
    assert staff_client.get(reverse("centres:case_open", args=[resident.pk])).status_code == 404
