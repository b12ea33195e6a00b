"""The one rule: caregiver_may(caregiver, elder, right)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.care import selectors, services
from portal.care.models import CareLink, Right
from tests import factories
from tests.care.conftest import make_transfer

pytestmark = pytest.mark.django_db


def test_a_caregiver_may_do_what_the_elder_granted_and_nothing_else(elder, caregiver):
    assert selectors.caregiver_may(caregiver, elder, Right.APPOINTMENTS)
    assert selectors.caregiver_may(caregiver, elder, Right.MESSAGES)
    assert not selectors.caregiver_may(caregiver, elder, Right.VOUCHER_CODE)
    assert not selectors.caregiver_may(caregiver, elder, Right.HEALTH_SUMMARY)


def test_nothing_for_someone_else_and_nothing_for_oneself(elder, caregiver, other_resident):
    assert not selectors.caregiver_may(caregiver, other_resident, Right.APPOINTMENTS)
    assert not selectors.caregiver_may(elder, caregiver, Right.APPOINTMENTS)  # not the other way round
    assert not selectors.caregiver_may(elder, elder, Right.APPOINTMENTS)


def test_nothing_after_revocation(elder, care_link):
    services.care_link_revoke(actor=elder, link_id=care_link.pk)
    assert not selectors.caregiver_may(care_link.caregiver, elder, Right.APPOINTMENTS)


def test_the_last_day_counts_and_the_day_after_does_not(elder, care_link):
    care_link.end_date = timezone.localdate()
    care_link.save()
    assert selectors.caregiver_may(care_link.caregiver, elder, Right.APPOINTMENTS)
    care_link.end_date = timezone.localdate() - timedelta(days=1)
    care_link.save()
    assert not selectors.caregiver_may(care_link.caregiver, elder, Right.APPOINTMENTS)


def test_a_changed_right_applies_to_the_next_call(elder, care_link):
    services.care_link_change(actor=elder, link_id=care_link.pk, rights=["messages"])
    assert not selectors.caregiver_may(care_link.caregiver, elder, Right.APPOINTMENTS)
    assert selectors.caregiver_may(care_link.caregiver, elder, Right.MESSAGES)


def test_a_pending_invitation_or_request_grants_nothing(elder, other_resident):
    CareLink.objects.create(elder=elder, caregiver=other_resident, relationship="son", status="requested",
                            appointments=True, created_by=other_resident)
    assert not selectors.caregiver_may(other_resident, elder, Right.APPOINTMENTS)


def test_a_link_limited_to_one_transfer_counts_only_for_it(elder, other_resident):
    transfer, other = make_transfer(elder), make_transfer(elder)
    factories.make_caregiver(elder, other_resident, rights=("transfers", "messages"), transfer=transfer)
    assert selectors.caregiver_may(other_resident, elder, Right.TRANSFERS, transfer=transfer)
    assert not selectors.caregiver_may(other_resident, elder, Right.TRANSFERS, transfer=other)
    assert not selectors.caregiver_may(other_resident, elder, Right.TRANSFERS)


def test_the_rule_reads_the_database_every_time(elder, care_link, django_assert_num_queries):
    # One query per question, no copy kept anywhere: another process's revocation shows at once.
    with django_assert_num_queries(1):
        assert selectors.caregiver_may(care_link.caregiver, elder, Right.APPOINTMENTS)
    CareLink.objects.filter(pk=care_link.pk).update(status="revoked")  # as another process would
    with django_assert_num_queries(1):
        assert not selectors.caregiver_may(care_link.caregiver, elder, Right.APPOINTMENTS)


def test_copies_go_to_each_live_caregiver_with_the_messages_right_once(elder, care_link, other_resident):
    factories.make_caregiver(elder, other_resident, rights=("appointments",))  # no copies
    ended = factories.make_caregiver(elder, rights=("messages",), email="son@example.com", relationship="son")
    services.care_link_revoke(actor=elder, link_id=ended.pk)
    assert [link.caregiver for link in selectors.copy_links(elder)] == [care_link.caregiver]


def test_the_people_list_of_a_caregiver(elder, care_link, django_assert_num_queries):
    with django_assert_num_queries(1):
        people = selectors.people_cared_for(care_link.caregiver)
        assert [link.elder.display_name for link in people] == [elder.display_name]
