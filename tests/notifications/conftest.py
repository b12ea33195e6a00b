import pytest

from tests import factories


def make_recipient(language: str = "en", *, email: bool = True, sms: bool = False, whatsapp: bool = False,
                   phone: str = "+85291234567", **kwargs):
    profile = factories.ProfileFactory(
        user__language=language, user__notify_by_email=email, user__notify_by_sms=sms,
        user__notify_by_whatsapp=whatsapp, phone=phone, **kwargs,
    )
    return profile.user


@pytest.fixture
def recipient(db):
    return make_recipient("en", sms=True, whatsapp=True)


@pytest.fixture
def notify_committed(django_capture_on_commit_callbacks):
    """notify(...) as if the caller's transaction committed: the on-commit
    queueing runs (eagerly, in-process) before this returns."""
    from portal.notifications.services import notify

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**kwargs)

    return run
