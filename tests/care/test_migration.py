"""The data migration that turns every transfer follower into a caregiver limited
to that transfer's updates (portal/care/migrations/0002_transfer_followers)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories

BEFORE = [("care", "0001_initial"), ("transfers", "0004_patient_document_type")]


@pytest.mark.django_db(transaction=True)
def test_followers_become_caregivers_limited_to_their_transfer():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Route = old.get_model("accounts", "User"), old.get_model("transfers", "Route")
    TransferRequest, Follower = old.get_model("transfers", "TransferRequest"), old.get_model("transfers", "Follower")
    requester = User.objects.create(email="elder@example.com", language="zh-hant")
    daughter = User.objects.create(email="daughter@example.com", language="zh-hans")
    # Hospitals are not rolled back (their tables are as now): made with today's factories.
    sending, receiving = factories.HospitalFactory(), factories.HospitalFactory()
    point = factories.BorderPointFactory()
    route = Route.objects.create(sending_hospital_id=sending.pk, receiving_hospital_id=receiving.pk,
                                 border_point_id=point.pk, direction="southbound")
    transfer = TransferRequest.objects.create(
        reference="TR-OLD00001", requester=requester, filed_by=requester, patient_kind="self",
        patient_user=requester, patient_name="CHAN", route=route, sending_hospital_id=sending.pk,
        receiving_hospital_id=receiving.pk, border_point_id=point.pk, clinical_summary="Stable.",
        preferred_date=date.today() + timedelta(days=3), consent_to_share=True)
    Follower.objects.create(transfer=transfer, user=daughter, added_by=requester)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from portal.care import selectors
    from portal.care.models import CareLink, Right
    from portal.transfers.models import TransferRequest as Transfer

    link = CareLink.objects.get()
    assert (link.elder_id, link.caregiver_id, link.transfer_id, link.status) == (
        requester.pk, daughter.pk, transfer.pk, "active")
    assert link.rights == ["transfers", "messages"]
    assert link.events.get().action == "migrated"
    elder, follower = link.elder, link.caregiver
    moved = Transfer.objects.get(pk=transfer.pk)
    assert selectors.caregiver_may(follower, elder, Right.MESSAGES, transfer=moved)
    assert not selectors.caregiver_may(follower, elder, Right.TRANSFERS)  # that transfer only
    assert [copy.caregiver for copy in selectors.copy_links(elder, about=moved)] == [follower]
    assert selectors.copy_links(elder) == []  # no copies of the elder's other messages
