from portal.core.demo import load_all
from portal.transfers.models import Route, TransferRequest


def test_demo_routes_and_transfers_load_idempotently(db):
    load_all()
    load_all()
    assert Route.objects.count() == 9
    published = Route.objects.get(sending_hospital__slug="hku-szh", receiving_hospital__slug="tuen-mun")
    assert published.fee_rmb == 4990 and published.border_point.code == "shenzhen-bay"
    assert Route.objects.filter(fee_rmb__isnull=True).count() == 8
    assert published.notes_zh_hant and published.notes_zh_hans
    assert set(TransferRequest.objects.values_list("state", flat=True)) == {"submitted", "accepted", "scheduled"}
    assert TransferRequest.objects.count() == 3
