"""What the benchmarks need in the database: signed-in residents (sessions written
here, signed with the server's SECRET_KEY, as after a real sign-in) and bookable
slots. Everything is marked (`@bench.invalid` e-mails, the doctor name of the
slots) and removed by `forget()`."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from portal.accounts.identity import hkid_check_digit
from portal.accounts.models import Profile, User
from portal.appointments.models import Appointment, Slot, WaitlistEntry
from portal.hospitals.models import Department
from portal.notifications.models import Notification

DOMAIN = "bench.invalid"
DOCTOR = "bench"
LANGUAGES = ("en", "zh-hant", "zh-hans")


def residents(count: int, *, prefix: str = "resident") -> list[User]:
    """`count` residents with a complete profile (an HKID) and a verified e-mail
    address, languages in turn; made once, kept between runs."""
    emails = [f"{prefix}-{n:04d}@{DOMAIN}" for n in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)  # nobody signs in with a password: sessions are written below
    User.objects.bulk_create([User(email=email, language=LANGUAGES[n % 3], password=password,
                                   notify_by_email=True, notify_by_sms=False, notify_by_whatsapp=False)
                              for n, email in enumerate(emails) if email not in existing])
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    with_profile = set(Profile.objects.filter(user__in=users).values_list("user_id", flat=True))
    Profile.objects.bulk_create([_profile(user, n, prefix) for n, user in enumerate(users)
                                 if user.pk not in with_profile])
    verified = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create([EmailAddress(user=user, email=user.email, verified=True, primary=True)
                                      for user in users if user.pk not in verified])
    return users


def _profile(user: User, n: int, prefix: str) -> Profile:
    # Z + six digits far from the demo residents' numbers; each prefix its own range
    digits = f"{(900000 + sum(map(ord, prefix)) * 1000 + n) % 1000000:06d}"
    return Profile(user=user, name_en=f"BENCH Resident {n}", name_zh="測試",
                   id_document_type=Profile.DocumentType.HKID,
                   id_document_number=f"Z{digits}({hkid_check_digit('Z', digits)})")


def sessions(users: list[User], *, secret_key: str) -> list[str]:
    """A signed-in session for each user, valid for a server using `secret_key`."""
    engine = import_module(settings.SESSION_ENGINE)
    keys = []
    with override_settings(SECRET_KEY=secret_key):
        for user in users:
            store = engine.SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            keys.append(store.session_key)
    return keys


def department() -> Department:
    """A department of the last synthetic hospital: one the search pages do not open."""
    departments = Department.objects.filter(hospital__is_active=True).select_related("hospital", "specialty")
    found = (departments.filter(hospital__slug__startswith="synthetic-").order_by("-hospital__slug", "id").first()
             or departments.order_by("-id").first())
    if found is None:
        raise RuntimeError("No active department: load the data first")
    return found


def slots(count: int, *, capacity: int, days_ahead: int = 60, blocked: bool = False) -> list[int]:
    """`count` consecutive 10-minute slots, beyond the slots the portal generates itself."""
    where = department()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=days_ahead)
    made = Slot.objects.bulk_create([
        Slot(department=where, doctor_name=DOCTOR, capacity=capacity, is_blocked=blocked,
             starts_at=start + timedelta(minutes=10 * n), ends_at=start + timedelta(minutes=10 * n + 10))
        for n in range(count)])
    return [slot.pk for slot in made]


def forget() -> None:
    """Remove what earlier runs booked and wrote (the users are kept)."""
    mine = {"resident__email__endswith": f"@{DOMAIN}"}
    Appointment.objects.filter(**mine).delete()
    WaitlistEntry.objects.filter(**mine).delete()
    Notification.objects.filter(recipient__email__endswith=f"@{DOMAIN}").delete()
    Slot.objects.filter(doctor_name=DOCTOR).delete()
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
