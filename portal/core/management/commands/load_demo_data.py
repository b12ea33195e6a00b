from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from portal.core import demo


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        # The demo's own messages go to each account's inbox; printing every
        # e-mail they would send would bury the list of accounts below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo.load_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Open {settings.SITE_URL}/ and sign in with any demo account below (password: {demo.DEMO_PASSWORD}):")
        for role, email in demo_accounts():
            self.stdout.write(f"  {role:<52} {email}")
        self.stdout.write(
            "Staff accounts use two-step sign-in; print a demo account's current code with\n"
            "  DJANGO_SETTINGS_MODULE=portal.settings.local .venv/bin/python manage.py demo_totp EMAIL"
        )


def demo_accounts():
    from portal.accounts.demo import DEMO_USERS

    return [(role, email) for email, role, *_rest in DEMO_USERS]
