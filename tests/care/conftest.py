import pytest

from tests import factories


@pytest.fixture
def elder(resident):
    """The shared `resident` (Traditional Chinese) with an identity card and a travel permit."""
    resident.language = "zh-hant"
    resident.save(update_fields=["language"])
    profile = resident.profile
    profile.id_document_type, profile.id_document_number = "hkid", "A123456(3)"
    profile.travel_permit_number, profile.phone = "H12345678", "+85291234567"
    profile.save()
    return resident


@pytest.fixture
def care_link(elder):
    """The elder's daughter (Simplified Chinese, no identity document) with the usual rights."""
    return factories.make_caregiver(elder, email="daughter@example.com")


@pytest.fixture
def caregiver(care_link):
    return care_link.caregiver


def make_transfer(requester, *, actor=None):
    """A submitted transfer of `requester` (themself the patient) on a new route."""
    from datetime import date, timedelta

    from portal.transfers import services
    from portal.transfers.models import Route

    route = Route.objects.create(sending_hospital=factories.HospitalFactory(), receiving_hospital=factories.HospitalFactory(),
                                 border_point=factories.BorderPointFactory(), direction="southbound", fee_rmb=4990)
    return services.transfer_submit(
        actor=actor or requester, requester=requester, route=route, patient_kind="self",
        clinical_summary="Stable after stroke.", mobility_needs="Stretcher", equipment_needs="", escorts=[],
        preferred_date=date.today() + timedelta(days=3), consent_to_share=True)
