"""visit_payable_with_vouchers, for the appointments app: the balance only from the
registry, with its source."""

from datetime import date

from django.contrib.auth.models import AnonymousUser

from portal.vouchers.selectors import visit_payable_with_vouchers
from tests import factories


def test_payable_with_the_registry_balance_and_its_source(elder, department, simulator, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        result = visit_payable_with_vouchers(elder, department)
    assert result.payable and result.balance == 8000
    assert "Voucher system simulator shows HK$8,000 available (as of " in result.reason


def test_payable_without_a_registry_claims_no_balance(elder, department, no_registry):
    result = visit_payable_with_vouchers(elder, department)
    assert result.payable and result.balance is None
    assert "eHealth app" in result.reason and "HK$" not in result.reason


def test_not_payable_reasons(elder, resident, department, other_resident):
    not_designated = factories.DepartmentFactory(hospital=department.hospital, accepts_vouchers=False,
                                                 specialty=factories.SpecialtyFactory(code="surgery"))
    assert "does not accept" in visit_payable_with_vouchers(elder, not_designated).reason
    assert "Sign in" in visit_payable_with_vouchers(AnonymousUser(), department).reason
    assert "Hong Kong identity card" in visit_payable_with_vouchers(other_resident, department).reason
    elder.profile.date_of_birth = date(1990, 1, 1)
    elder.profile.save()
    assert "turn 65" in visit_payable_with_vouchers(elder, department).reason


def test_a_spent_registry_balance_is_not_payable(elder, department, simulator):
    from portal.vouchers import registry

    simulator.submit_claim(registry.holder_of(elder), amount_hkd=8000, designated_primary_care=False, reference="all")
    result = visit_payable_with_vouchers(elder, department)
    assert not result.payable and result.balance == 0 and "HK$0" in result.reason
