"""Issue 18 item 7: staff land on their own dashboard, with links to their tools and
none of a resident's cards."""

import pytest
from django.urls import reverse

RESIDENT_CARDS = ("My vouchers", "My appointments", "My transfers", "Family and caregivers")


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_hospital_admin_sees_the_admin_and_their_hospital_tools(client_for, hospital_admin, hospital):
    hospital.is_voucher_point = True
    hospital.save()
    text = _text(client_for(hospital_admin).get(reverse("core:dashboard")))
    assert f'href="{reverse("admin:index")}"' in text
    assert f'href="{reverse("transfers:hospital")}"' in text
    assert f'href="{reverse("vouchers:staff_claims")}"' in text
    assert f'href="{reverse("centres:console")}"' not in text
    assert not [card for card in RESIDENT_CARDS if card in text]


def test_centre_staff_see_the_console_and_not_the_admin(client_for, centre_staff):
    text = _text(client_for(centre_staff).get(reverse("core:dashboard")))
    assert f'href="{reverse("centres:console")}"' in text
    assert f'href="{reverse("centres:escorts")}"' in text
    assert f'href="{reverse("admin:index")}"' not in text
    assert not [card for card in RESIDENT_CARDS if card in text]


def test_a_resident_keeps_their_own_cards_and_no_staff_tool(client_for, resident):
    text = _text(client_for(resident).get(reverse("core:dashboard")))
    assert all(card in text for card in RESIDENT_CARDS)
    assert reverse("admin:index") not in text and reverse("centres:console") not in text


@pytest.mark.parametrize("role", ["hospital_admin", "centre_staff", "superuser"])
def test_staff_are_sent_from_the_home_page_to_their_dashboard(client_for, role, request):
    response = client_for(request.getfixturevalue(role)).get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("core:dashboard")


def test_residents_and_visitors_still_see_the_home_page(client_for, resident):
    assert client_for(resident).get(reverse("core:home")).status_code == 200
    assert client_for(None).get(reverse("core:home")).status_code == 200

