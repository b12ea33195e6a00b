"""portal.core.idempotency: one Idempotency-Key helper for every API write. A
small API view that creates a row stands for the portal's writes (booking,
rescheduling, transfers: their own API tests use the header too)."""

import json
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone, translation
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from portal.core.idempotency import MAX_KEY_LENGTH, idempotency_keys_expire, idempotent
from portal.core.models import IdempotencyKey
from portal.hospitals.models import Specialty

pytestmark = pytest.mark.django_db


class CreateSpecialty(APIView):
    """Creates one row per run; {"fail": 400 or 500} answers with that error instead."""

    permission_classes = [IsAuthenticated]
    while_running = None  # a test's hook: called inside the view, after the write

    @idempotent
    def post(self, request):
        if request.data.get("fail") == 400:
            raise ValidationError({"name": ["Invalid."]})
        specialty = Specialty.objects.create(code=uuid.uuid4().hex[:20], name_en=request.data.get("name", ""))
        if CreateSpecialty.while_running is not None:
            CreateSpecialty.while_running()
        if request.data.get("fail") == 500:
            return Response({"detail": "provider down"}, status=500)
        return Response({"id": specialty.pk, "name": specialty.name_en, "at": timezone.now()}, status=201)


def post(user, body, key=None, path="/api/v1/specialties/"):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    request = APIRequestFactory().post(path, body, format="json", **headers)
    force_authenticate(request, user=user)
    response = CreateSpecialty.as_view()(request)
    response.render()
    return response


def test_without_a_key_every_request_runs(resident):
    assert post(resident, {"name": "a"}).status_code == post(resident, {"name": "a"}).status_code == 201
    assert Specialty.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_a_repeat_gets_the_stored_answer_and_acts_once(resident):
    first = post(resident, {"name": "a", "n": [1, 2]}, key="order-1")
    again = post(resident, {"n": [1, 2], "name": "a"}, key="order-1")  # the same body, keys in another order
    assert first.status_code == again.status_code == 201
    assert json.loads(again.content) == json.loads(first.content) and again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Specialty.objects.count() == 1
    stored = IdempotencyKey.objects.get()
    assert (stored.user, stored.key, stored.status_code, len(stored.fingerprint)) == (resident, "order-1", 201, 64)


def test_the_key_with_another_request_is_refused_with_a_translated_message(resident):
    post(resident, {"name": "a"}, key="order-1")
    other_body = post(resident, {"name": "b"}, key="order-1")
    other_path = post(resident, {"name": "a"}, key="order-1", path="/api/v1/elsewhere/")
    assert other_body.status_code == other_path.status_code == 422
    assert other_body.data["code"] == "idempotency_key_reused"
    assert other_body.data["detail"] == "This Idempotency-Key was used for a different request."
    with translation.override("zh-hant"):
        chinese = post(resident, {"name": "b"}, key="order-1")
    assert chinese.status_code == 422 and chinese.data["detail"] != other_body.data["detail"]
    assert "Idempotency-Key" in chinese.data["detail"]
    assert Specialty.objects.count() == 1


def test_keys_are_per_user(resident, other_resident):
    post(resident, {"name": "a"}, key="order-1")
    theirs = post(other_resident, {"name": "a"}, key="order-1")
    assert theirs.status_code == 201 and not theirs.has_header("Idempotent-Replayed")
    assert Specialty.objects.count() == 2


@pytest.mark.parametrize("key", ["", "   ", "x" * (MAX_KEY_LENGTH + 1), "tab\tinside", "ключ", "鍵"])
def test_a_bad_key_is_refused_before_anything_is_done(resident, key):
    response = post(resident, {"name": "a"}, key=key)
    assert response.status_code == 400 and response.data["code"] == "idempotency_key_invalid"
    assert str(MAX_KEY_LENGTH) in response.data["detail"]
    assert not Specialty.objects.exists() and not IdempotencyKey.objects.exists()


def test_the_longest_key_is_accepted(resident):
    assert post(resident, {"name": "a"}, key="k" * MAX_KEY_LENGTH).status_code == 201


def test_an_error_is_not_stored_and_its_writes_are_undone(resident):
    assert post(resident, {"name": "a", "fail": 400}, key="order-1").status_code == 400
    assert post(resident, {"name": "a", "fail": 500}, key="order-1").status_code == 500
    assert not Specialty.objects.exists() and not IdempotencyKey.objects.exists()
    # nothing was done, so the request may be sent again with the same key
    assert post(resident, {"name": "a"}, key="order-1").status_code == 201


def test_old_keys_expire(resident, settings):
    post(resident, {"name": "a"}, key="old")
    post(resident, {"name": "a"}, key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency_keys_expire() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.core.tasks.expire_idempotency_keys" in scheduled


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_request_with_the_key_in_use_waits_for_the_first_and_gets_its_answer(resident, monkeypatch):
    """The first request holds its key's new row while it runs; the second
    request's insert of the same key waits for it on the unique constraint, and
    answers with the first one's stored answer once it has committed."""
    inside, release, answers = threading.Event(), threading.Event(), {}

    def pause_the_first():
        if "first_pid" not in answers:
            answers["first_pid"] = connection.connection.info.backend_pid
            inside.set()
            assert release.wait(30)

    monkeypatch.setattr(CreateSpecialty, "while_running", staticmethod(pause_the_first))

    def send(name):
        try:
            answers[name] = post(resident, {"name": "a"}, key="order-1")
        finally:
            connections.close_all()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert inside.wait(30)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    pause = threading.Event()
    for _ in range(3000):  # until the second request waits for the first one's key
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                           " AND %s = ANY(pg_blocking_pids(pid))", [answers["first_pid"]])
            if cursor.fetchone()[0]:
                break
        pause.wait(0.01)
    else:
        pytest.fail("the second request never waited for the first")
    release.set()
    first.join(30)
    second.join(30)
    assert answers["first"].status_code == answers["second"].status_code == 201
    assert json.loads(answers["second"].content) == json.loads(answers["first"].content)
    assert answers["second"]["Idempotent-Replayed"] == "true"
    assert Specialty.objects.count() == 1 and IdempotencyKey.objects.count() == 1
