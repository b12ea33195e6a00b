"""visit_payable_with_vouchers, for the appointments app."""

from datetime import date

from django.contrib.auth.models import AnonymousUser

from portal.vouchers import services
from portal.vouchers.selectors import visit_payable_with_vouchers
from tests import factories


def test_payable_for_an_eligible_resident_with_a_balance(elder, department, django_assert_max_num_queries):
    services.account_open(user=elder)
    with django_assert_max_num_queries(4):
        result = visit_payable_with_vouchers(elder, department)
    assert result.payable and result.balance == 2000


def test_not_payable_reasons(elder, resident, department, other_resident):
    not_designated = factories.DepartmentFactory(hospital=department.hospital, accepts_vouchers=False,
                                                 specialty=factories.SpecialtyFactory(code="surgery"))
    assert "does not accept" in visit_payable_with_vouchers(elder, not_designated).reason
    assert "Sign in" in visit_payable_with_vouchers(AnonymousUser(), department).reason
    assert "Hong Kong identity card" in visit_payable_with_vouchers(other_resident, department).reason
    elder.profile.date_of_birth = date(1990, 1, 1)
    elder.profile.save()
    assert "turn 65" in visit_payable_with_vouchers(elder, department).reason


def test_payable_before_the_account_is_opened(elder, department):
    result = visit_payable_with_vouchers(elder, department)
    assert result.payable and result.balance == 2000
