"""Compile every .po catalogue to .mo with polib, so running the portal needs no
system gettext tools (Django's compilemessages needs msgfmt)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/ and portal/*/locale/ catalogues to .mo files."

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR)
        catalogues = sorted(root.glob("locale/*/LC_MESSAGES/*.po")) + sorted(root.glob("portal/*/locale/*/LC_MESSAGES/*.po"))
        for po_path in catalogues:
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        self.stdout.write(f"Compiled {len(catalogues)} catalogues.")
