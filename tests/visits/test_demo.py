"""`make run` shows the feature: HKU-Shenzhen's published visit facts, the demo
resident's health summary, and the demo caregiver may keep it."""

from portal.core.demo import load_all
from portal.visits.models import CrossingRoute, HealthSummary, HospitalVisitInfo


def test_the_demo_loads_visit_facts_and_a_health_summary(db):
    load_all()
    load_all()  # idempotent
    info = HospitalVisitInfo.objects.get(hospital__slug="hku-szh")
    assert info.wechat_pay == "yes" and info.payment_note_zh_hans and info.patients_counter == ""  # not known
    route = CrossingRoute.objects.get(hospital__slug="hku-szh", border_point__code="futian")
    assert "60" in route.transport_en and route.as_of.isoformat() == "2026-01-05"
    summary = HealthSummary.objects.get(resident__email="resident@example.com")
    assert [item.slug for item in summary.connect_items.all()] == ["lorlatinib"]
    from portal.care.models import CareLink

    assert CareLink.objects.get(elder__email="resident@example.com", caregiver__email="caregiver@example.com").health_summary
