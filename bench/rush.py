"""A slot-release rush over HTTP: a blocked slot of 30 places is released and, at
that moment, 200 clients (each a different signed-in resident, each on its own
open connection) send `POST /api/v1/appointments/` for it together. Exactly 30
must be booked, none may get a 5xx; the latency of every request is recorded
from the common start until its answer. Repeated `rounds` times with a new slot."""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from portal.appointments import services
from portal.appointments.models import Appointment

from . import fixtures
from .load import gunicorn

CSRF = "b" * 32  # an unmasked CSRF secret, sent as cookie and header


@dataclass
class Figure:
    clients: int
    places: int
    booked: list[int]  # per round
    answers: dict[str, int]
    p50: float
    p99: float
    worst: float


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _admin():
    user, _made = get_user_model().objects.get_or_create(
        email=f"rush-admin@{fixtures.DOMAIN}", defaults={"is_staff": True, "is_superuser": True})
    return user


def _round(host: str, slot_id: int, session_keys: list[str]) -> list[tuple[float, int, str]]:
    """Open the slot and send every client's booking at once: (seconds, status, code) each."""
    clients = len(session_keys)
    connections = [http.client.HTTPConnection(host, timeout=30) for _ in range(clients)]
    for connection in connections:
        connection.connect()
    start = threading.Barrier(clients + 1)
    results: list[tuple[float, int, str]] = [(0.0, 0, "")] * clients
    began = [0.0]

    def client(index: int) -> None:
        body = json.dumps({"slot": slot_id, "reason": "Rush", "id_document": "hkid"})
        headers = {"Content-Type": "application/json", "X-CSRFToken": CSRF, "Host": host,
                   "Cookie": f"sessionid={session_keys[index]}; csrftoken={CSRF}",
                   "Idempotency-Key": uuid.uuid4().hex, "Accept-Language": "en"}
        start.wait()
        connections[index].request("POST", "/api/v1/appointments/", body, headers)
        response = connections[index].getresponse()
        answer = response.read()
        code = json.loads(answer).get("code", "") if response.status != 201 and answer else ""
        results[index] = (time.perf_counter() - began[0], response.status, code)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    services.slot_unblock(actor=_admin(), slot_id=slot_id)
    began[0] = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    for connection in connections:
        connection.close()
    return results


def run(*, env: dict[str, str], workers: int, clients: int, places: int, rounds: int, secret_key: str,
        log) -> Figure:
    fixtures.forget()
    session_keys = fixtures.sessions(fixtures.residents(clients, prefix="rusher"), secret_key=secret_key)
    latencies: list[float] = []
    answers: dict[str, int] = {}
    booked = []
    with gunicorn(env, workers) as base:
        for number in range(rounds):
            (slot_id,) = fixtures.slots(1, capacity=places, blocked=True, days_ahead=70 + number)
            for seconds, status, code in _round(base.removeprefix("http://"), slot_id, session_keys):
                latencies.append(seconds * 1000)
                key = f"{status} {code}".strip()
                answers[key] = answers.get(key, 0) + 1
            booked.append(Appointment.objects.filter(slot_id=slot_id).exclude(status="cancelled").count())
            log(f"    round {number + 1}: {booked[-1]} booked; p99 so far {_percentile(latencies, 0.99):.0f} ms")
    fixtures.forget()
    return Figure(clients=clients, places=places, booked=booked, answers=answers,
                  p50=_percentile(latencies, 0.5), p99=_percentile(latencies, 0.99), worst=max(latencies))
