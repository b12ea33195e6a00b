"""The portal's own name and address, for texts that name the site: e-mails
from allauth (its templates read `current_site.name` and `.domain`) and the
Sites framework record, which would otherwise say "example.com"."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

SITE_NAME = gettext_noop("GBA Health Portal")


@dataclass(frozen=True)
class SiteIdentity:
    name: str
    domain: str
    url: str


def site_identity() -> SiteIdentity:
    """The site's name in the active language, and its address from SITE_URL."""
    return SiteIdentity(name=gettext(SITE_NAME), domain=urlsplit(settings.SITE_URL).netloc,
                        url=settings.SITE_URL.rstrip("/") + "/")


def site_record_sync(**kwargs) -> None:
    """post_migrate: the Sites framework's record carries SITE_URL's host and the
    portal's name, not Django's "example.com"."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(pk=settings.SITE_ID,
                                  defaults={"domain": site_identity().domain, "name": SITE_NAME})
