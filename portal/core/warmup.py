"""Work every web worker process would otherwise do on its first request(s)."""

from django.conf import settings
from django.urls import get_resolver, reverse
from django.utils import translation


def warm_up() -> None:
    """Build the URL resolver's reverse lookup tables, once per language (they
    are kept per active language: i18n URL patterns). Built lazily, they cost
    the first request in each language of every worker process about 35 ms of
    CPU (regex normalisation of every pattern). Called when the WSGI
    application loads, and by bench commands before they fork their workers."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (the property builds the tables)
            reverse("core:home")
