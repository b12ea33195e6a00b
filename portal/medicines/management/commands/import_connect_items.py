"""manage.py import_connect_items FILE.csv: import the Connect list (all or nothing)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.medicines.services import connect_items_import


class Command(BaseCommand):
    help = "Import the Medicine and Equipment Connect list from a CSV file; nothing is imported if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--language", default="en", help="Language of the error messages (en, zh-hant, zh-hans).")

    def handle(self, *args, path, language, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        with translation.override(language):
            result = connect_items_import(actor=None, file=text)
            if not result.ok:
                for error in result.errors:
                    self.stderr.write(f"line {error.line}: {error.message}")
                raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        self.stdout.write(f"{result.created} created, {result.updated} updated, {result.approvals} approvals added")
