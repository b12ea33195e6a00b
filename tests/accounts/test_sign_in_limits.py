"""Issue 15, "one client locks everyone out behind a proxy": the sign-in limits
count per account and per client address, the address is the client's even
behind proxies (TRUSTED_PROXY_COUNT), and the refusal is in the reader's language."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.settings import base
from tests.factories import PASSWORD, ProfileFactory

pytestmark = pytest.mark.django_db

LOCKED = {"en": "Too many failed login attempts. Try again later.",
          "zh-hant": "登入嘗試失敗次數過多，請稍後再試。",
          "zh-hans": "登录失败次数过多，请稍后重试。"}


@pytest.fixture(autouse=True)
def _production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # the test settings switch them off
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, email, password, address, language="en"):
    return client.post(reverse("account_login").replace("/en/", f"/{language}/", 1),
                       {"login": email, "password": password}, HTTP_X_FORWARDED_FOR=address)


def _signed_in(response) -> bool:
    return response.status_code == 302


def test_one_client_behind_the_proxy_does_not_lock_out_the_others(client, resident, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(25):  # someone at 203.0.113.9 guesses at many accounts
        _sign_in(client, f"guess{n}@example.com", "wrong", "203.0.113.9")
    assert LOCKED["en"] in _sign_in(client, resident.email, PASSWORD, "203.0.113.9").content.decode()
    assert _signed_in(_sign_in(client, resident.email, PASSWORD, "198.51.100.7"))


def test_an_address_the_client_writes_is_not_believed(client, resident, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(25):
        _sign_in(client, f"guess{n}@example.com", "wrong", f"198.51.100.{n}")
    assert not _signed_in(_sign_in(client, resident.email, PASSWORD, "192.0.2.200"))


def test_five_wrong_passwords_lock_the_account_from_every_address(client, resident, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        assert not _signed_in(_sign_in(client, resident.email, "wrong", f"198.51.100.{n}"))
    refused = _sign_in(client, resident.email, PASSWORD, "192.0.2.1")
    assert not _signed_in(refused)
    assert LOCKED["en"] in refused.content.decode()
    # Another account from the same addresses is not locked.
    other = ProfileFactory(user__email="neighbour@example.com").user
    assert _signed_in(_sign_in(client, other.email, PASSWORD, "198.51.100.1"))


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_the_refusal_is_in_the_readers_language(client, resident, language):
    for _ in range(5):
        _sign_in(client, resident.email, "wrong", "", language)
    refused = _sign_in(client, resident.email, PASSWORD, "", language)
    assert LOCKED[language] in refused.content.decode()


def test_too_many_sign_in_requests_get_a_page_in_the_readers_language(client, resident, settings):
    settings.ACCOUNT_RATE_LIMITS = {**base.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    answers = [_sign_in(client, resident.email, "wrong", "", "zh-hant") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "嘗試次數過多" in answers[-1].content.decode()
