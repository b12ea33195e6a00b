"""Issue 15: "the throttle rates are set but no throttle class is". The API now
throttles every client (per address when signed out, per account when signed
in), counting addresses as the sign-in limits do, and views that check a secret
(one-time codes) have a stricter scope."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from portal.core.client_address import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    """Rates a test can reach (the test settings raise them out of reach)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min", "sensitive": "2/min"})
    cache.clear()
    yield
    cache.clear()


# (Cached answers of the public lists are served before DRF runs, so a hospital's
# own page is what these tests ask for.)
def test_anonymous_clients_are_throttled_per_address(client, hospital, low_rates):
    url = reverse("api:hospital-detail", args=[hospital.slug])
    answers = [client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]  # a forwarded address from the client itself counts for nothing
    assert "throttled" in client.get(url).json()["detail"].lower()


def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, hospital, low_rates, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("api:hospital-detail", args=[hospital.slug])
    assert [client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200


def test_signed_in_clients_are_throttled_per_account(client_for, resident, low_rates):
    client = client_for(resident)
    url = reverse("api:transfers-list")
    assert [client.get(url).status_code for _ in range(6)] == [200] * 5 + [429]


def test_one_time_codes_have_a_stricter_limit(client_for, resident, low_rates):
    client = client_for(resident)
    url = reverse("api:vouchers-claim-confirm", args=[999999])
    answers = [client.post(url, {"code": "123456"}, content_type="application/json").status_code for _ in range(3)]
    assert answers == [404, 404, 429]


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (0, "198.51.100.7", "10.0.0.1"),                    # no proxies of ours: the header is the client's
    (1, "198.51.100.7", "198.51.100.7"),
    (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),       # the client wrote 6.6.6.6
    (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
    (2, "198.51.100.7", "10.0.0.1"),                    # too short: did not come through our proxies
    (1, "not-an-address", "10.0.0.1"),
    (1, "", "10.0.0.1"),
])
def test_client_address(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
