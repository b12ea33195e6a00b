"""Demo transfer routes (from data/ambulance_routes.csv) and a few transfers in
different states, made through the services so each has its timeline."""

import csv
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from portal.hospitals.models import BorderPoint, Hospital

from .models import Route, TransferRequest
from .workflow import State

ORDER = 60
DATA_DIR = Path(__file__).resolve().parent / "data"


def load_routes() -> int:
    hospitals = {hospital.slug: hospital for hospital in Hospital.objects.all()}
    border_points = {point.code: point for point in BorderPoint.objects.all()}
    count = 0
    with open(DATA_DIR / "ambulance_routes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sending, receiving = hospitals.get(row["sending"]), hospitals.get(row["receiving"])
            border_point = border_points.get(row["port"])
            if not (sending and receiving and border_point):
                continue
            route, created = Route.objects.get_or_create(
                sending_hospital=sending, receiving_hospital=receiving,
                defaults={"border_point": border_point, "direction": row["direction"],
                          "since": date.fromisoformat(row["since"]) if row["since"] else None,
                          "fee_rmb": int(row["fee_rmb"]) if row["fee_rmb"] else None,
                          "notes_en": row["notes_en"], "notes_zh_hant": row["notes_zh_hant"],
                          "notes_zh_hans": row["notes_zh_hans"], "status": row["status"],
                          "status_as_of": date.fromisoformat(row["status_as_of"]) if row["status_as_of"] else None,
                          "status_source_en": row["status_source_en"],
                          "status_source_zh_hant": row["status_source_zh_hant"],
                          "status_source_zh_hans": row["status_source_zh_hans"]},
            )
            count += 1
    return count


def load() -> str:
    from portal.accounts.models import User

    from . import services

    routes = load_routes()
    resident = User.objects.filter(email="resident@example.com").first()
    sending_admin = User.objects.filter(email="hospital.admin@example.com").first()
    receiving_admin = User.objects.filter(email="receiving.admin@example.com").first()
    route = Route.objects.filter(sending_hospital__slug="hku-szh", receiving_hospital__slug="tuen-mun").first()
    if resident and sending_admin and receiving_admin and route and not TransferRequest.objects.exists():
        steps = {
            State.SUBMITTED: [],
            State.ACCEPTED: [services.transfer_review, services.transfer_accept],
            State.SCHEDULED: [services.transfer_review, services.transfer_accept, "preregister",
                              services.transfer_schedule],
        }
        for days, (_target, moves) in enumerate(steps.items(), start=3):
            transfer = services.transfer_submit(
                actor=resident, requester=resident, route=route, patient_kind="self",
                clinical_summary="Stable after stroke; continued inpatient rehabilitation needed in Hong Kong.",
                mobility_needs="Bed-bound, stretcher.", equipment_needs="Oxygen 2 L/min.",
                escorts=[{"kind": "relative", "name": "CHAN Siu Wai", "relationship": "daughter"}],
                preferred_date=timezone.localdate() + timedelta(days=days), consent_to_share=True,
            )
            for step in moves:
                if step == "preregister":
                    services.transfer_preregister(
                        actor=sending_admin, transfer=transfer, vehicle_plate_hk_macao="AM1234",
                        vehicle_plate_mainland="粤B·A1234港", crew="Dr LAU (doctor), NG (nurse), driver",
                        documents_checked=True, crossing_border_point=route.border_point,
                        crossing_at=timezone.now() + timedelta(days=days),
                    )
                else:
                    actor = receiving_admin if step is services.transfer_accept else sending_admin
                    step(actor=actor, transfer=transfer)
    return f"{routes} transfer routes, {TransferRequest.objects.count()} transfers"
