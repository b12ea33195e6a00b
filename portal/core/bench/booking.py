"""What the booking benchmark needs in the database before gunicorn starts:
signed-in residents allowed to book, and bookable future slots with room.

The residents are `bench-resident-NNNN@bench.invalid` with a complete profile (an
HKID, which `appointment_book` requires as the identity document to bring) and a
verified e-mail address. Their sessions are written here, signed with the SECRET_KEY
the server gets, so every request arrives signed in, as after a real sign-in.
Each run first removes the bookings, notifications and idempotency keys of earlier
runs, and the slots are made afresh, so reruns measure the same thing."""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from portal.accounts.identity import hkid_check_digit
from portal.accounts.models import Profile, User
from portal.appointments.models import Appointment, IdempotencyKey, Slot, WaitlistEntry
from portal.hospitals.models import Department
from portal.notifications.models import Notification

EMAIL = "bench-resident-{:04d}@bench.invalid"
EMAIL_SUFFIX = "@bench.invalid"
# Marks the benchmark's slots (shown as the doctor on that synthetic hospital's booking page).
DOCTOR = "bench_http"
# Beyond the 28 days slots_generate fills, so the unique (department, start) never collides.
DAYS_AHEAD = 60


@dataclass
class BookingFixture:
    department: str
    session_keys: list[str]
    slot_ids: list[int]
    csrf_token: str
    capacity: int


def prepare(*, residents: int, slots: int, capacity: int, secret_key: str) -> BookingFixture:
    with transaction.atomic():
        users = _residents(residents)
        _forget_earlier_runs()
        department = _department()
        slot_ids = _slots(department, slots, capacity)
    # The session data and the auth hash in it are signed with SECRET_KEY: use the server's.
    with override_settings(SECRET_KEY=secret_key):
        keys = [_session(user) for user in users]
    # A CSRF secret of 32 allowed characters, sent as both cookie and header (the
    # unmasked form Django accepts).
    return BookingFixture(f"{department.hospital.slug} / {department}", keys, slot_ids, get_random_string(32), capacity)


def forget_sessions(fixture: BookingFixture) -> None:
    Session.objects.filter(session_key__in=fixture.session_keys).delete()


def bookings_made() -> int:
    return Appointment.objects.filter(resident__email__endswith=EMAIL_SUFFIX).count()


def _residents(count: int) -> list[User]:
    emails = [EMAIL.format(n) for n in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [email for email in emails if email not in existing]
    # One unusable password for all: nobody signs in with it; sessions are made below.
    password = make_password(None)
    User.objects.bulk_create([User(email=email, language="en", password=password) for email in missing])
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    with_profile = set(Profile.objects.filter(user__in=users).values_list("user_id", flat=True))
    Profile.objects.bulk_create([_profile(user, n) for n, user in enumerate(users) if user.pk not in with_profile])
    verified = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                      for u in users if u.pk not in verified])
    return users


def _profile(user: User, n: int) -> Profile:
    digits = f"{900000 + n:06d}"  # Z9xxxxx: far from the demo residents' numbers
    return Profile(user=user, name_en=f"BENCH Resident {n}", name_zh="測試",
                   id_document_type=Profile.DocumentType.HKID,
                   id_document_number=f"Z{digits}({hkid_check_digit('Z', digits)})")


def _forget_earlier_runs() -> None:
    bench = {"resident__email__endswith": EMAIL_SUFFIX}
    Appointment.objects.filter(**bench).delete()  # their events go with them
    WaitlistEntry.objects.filter(**bench).delete()
    Notification.objects.filter(recipient__email__endswith=EMAIL_SUFFIX).delete()
    IdempotencyKey.objects.filter(user__email__endswith=EMAIL_SUFFIX).delete()
    Slot.objects.filter(doctor_name=DOCTOR).delete()


def _department() -> Department:
    """A department of a synthetic hospital that the page benchmarks do not open (the
    last one), so the benchmark's slots do not change the pages measured."""
    departments = Department.objects.filter(hospital__is_active=True).select_related("hospital", "specialty")
    department = (departments.filter(hospital__slug__startswith="synthetic-").order_by("-hospital__slug", "id").first()
                  or departments.order_by("-id").first())
    if department is None:
        raise RuntimeError("No active department to book in: load the demo data first")
    return department


def _slots(department: Department, count: int, capacity: int) -> list[int]:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=DAYS_AHEAD)
    slots = [Slot(department=department, doctor_name=DOCTOR, capacity=capacity,
                  starts_at=start + timedelta(minutes=10 * n), ends_at=start + timedelta(minutes=10 * n + 10))
             for n in range(count)]
    return [slot.pk for slot in Slot.objects.bulk_create(slots)]


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
