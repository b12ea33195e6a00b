"""portal.core.warmup: web workers build the URL tables for every language at start."""

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

from portal.core.warmup import warm_up


def test_warm_up_builds_the_reverse_tables_of_every_language():
    resolver = get_resolver()
    resolver._reverse_dict.clear()  # as in a fresh process
    warm_up()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert translation.get_language() in resolver._reverse_dict
    assert len(resolver._reverse_dict) >= len(settings.LANGUAGES)


def test_the_wsgi_application_warms_up_when_it_loads(monkeypatch):
    import importlib

    import portal.core.warmup
    import portal.wsgi

    calls = []
    monkeypatch.setattr(portal.core.warmup, "warm_up", lambda: calls.append("warm"))
    importlib.reload(portal.wsgi)
    assert calls == ["warm"]
