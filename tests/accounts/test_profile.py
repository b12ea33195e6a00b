import logging

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Profile
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _post_profile(client, language="en", **data):
    payload = {"name_en": "CHAN Tai Man", "name_zh": "陳大文", "date_of_birth": "1954-03-08",
               "id_document_type": "", "id_document_number": "", "travel_permit_number": "",
               "phone": "", "mainland_phone": ""}
    payload.update(data)
    with translation.override(language):
        url = reverse("accounts:profile_edit")
    return client.post(url, payload)


def test_valid_identity_is_saved_normalised_and_shown_masked(client, resident):
    client.force_login(resident)
    response = _post_profile(client, id_document_type="hkid", id_document_number="c6686689",
                             travel_permit_number="h12345678", phone="+852 9123 4567")
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert profile.id_document_number == "C668668(9)"
    assert profile.travel_permit_number == "H12345678"
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "C****68(*)" in page
    assert "C668668" not in page
    edit_page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert "C668668" not in edit_page


def test_invalid_hkid_keeps_what_was_typed_and_explains_in_users_language(client, resident):
    client.force_login(resident)
    response = _post_profile(client, language="zh-hant", id_document_type="hkid", id_document_number="A123456(4)",
                             name_en="CHAN Siu Ming")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="A123456(4)"' in page
    assert 'value="CHAN Siu Ming"' in page
    assert "括號內的數字" in page  # the zh-hant check-digit message
    assert Profile.objects.get(user=resident).id_document_number == ""


def test_identity_number_is_unique_across_accounts(client, resident):
    ProfileFactory(id_document_type="hkid", id_document_number="A123456(3)")
    client.force_login(resident)
    response = _post_profile(client, id_document_type="hkid", id_document_number="A123456(3)")
    assert response.status_code == 400
    assert "already registered" in response.content.decode()


@pytest.mark.parametrize(("field", "value"), [("phone", "+86 138 0013 8000"), ("mainland_phone", "+852 9123 4567"), ("phone", "12")])
def test_phone_numbers_must_match_their_region(client, resident, field, value):
    client.force_login(resident)
    response = _post_profile(client, **{field: value})
    assert response.status_code == 400


def test_macao_and_hk_phone_numbers_accepted(client, resident):
    client.force_login(resident)
    response = _post_profile(client, phone="+853 6612 3456", mainland_phone="+86 138 0013 8000",
                             id_document_type="macao_id", id_document_number="1234567(8)")
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert str(profile.phone) == "+85366123456"
    assert profile.id_document_number == "1234567(8)"


def test_identity_numbers_are_redacted_from_logs(caplog):
    from portal.core.logging import RedactIdentityNumbersFilter

    logger = logging.getLogger("portal.test")
    logger.addFilter(RedactIdentityNumbersFilter())
    with caplog.at_level(logging.INFO, logger="portal.test"):
        logger.info("looked up %s and %s and %s", "A123456(3)", "1234567(8)", "H12345678")
    assert "A123456" not in caplog.text
    assert "1234567" not in caplog.text
    assert "H12345678" not in caplog.text
    assert caplog.text.count("[redacted-id]") == 3


def test_profile_pages_need_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("typed", ["1234567(8)", "1234567 8", "12345678"])
def test_macao_resident_saves_a_macao_id_and_an_m_permit_shown_masked(client, resident, typed):
    client.force_login(resident)
    response = _post_profile(client, id_document_type="macao_id", id_document_number=typed,
                             travel_permit_number="m 8765 4321", phone="+853 6612 3456")
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert (profile.id_document_number, profile.travel_permit_number) == ("1234567(8)", "M87654321")
    assert profile.is_macao_resident and not profile.is_hong_kong_resident
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Macao resident identity card: <span class=\"masked\">1****67(*)</span>" in page and "M******21" in page
    assert "1234567" not in page and "87654321" not in page


def test_an_invalid_macao_id_is_explained(client, resident):
    client.force_login(resident)
    response = _post_profile(client, id_document_type="macao_id", id_document_number="2234567(8)")
    assert response.status_code == 400 and "seven digits starting with 1, 5 or 7" in response.content.decode()


def test_a_certificate_of_exemption_holder_saves_it(client, resident):
    client.force_login(resident)
    response = _post_profile(client, id_document_type="coe", id_document_number="ce 123456/78")
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert (profile.id_document_type, profile.id_document_number) == ("coe", "CE123456/78")
    assert profile.is_hong_kong_resident
    assert "Certificate of Exemption (Hong Kong): <span class=\"masked\">C********78</span>" in client.get(
        reverse("accounts:profile")).content.decode()
