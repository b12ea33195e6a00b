"""Messages of third-party apps other than allauth (see portal/accounts/wording.py)
whose translation in their own catalogues is wrong for this portal.

Listed with gettext_noop, they are extracted into locale/, and LOCALE_PATHS win
over every app's catalogue. Each has a test in tests/core/test_third_party_wording.py."""

from django.utils.translation import gettext_noop

OVERRIDDEN_MESSAGES = [
    # django-celery-beat's zh_Hans catalogue translates the bare "Name" as 任务名
    # ("task name"), and as the first app in INSTALLED_APPS its catalogue wins
    # over ours: the hospital and medicine search boxes, and the admin, read it.
    # Names of people use the "person" context (姓名) instead.
    gettext_noop("Name"),
    # Django's admin (5.2) has these labels of its app list untranslated in zh_Hans.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
]
