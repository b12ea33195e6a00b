"""manage.py import_connect_items FILE.csv: import the Connect list.

By default all or nothing. For the official list as published, --skip-bad-lines
imports the good lines and reports each bad one by line number, and --source-*
names the source of every line that names none (docs/decisions/0081)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.medicines.services import connect_items_import


class Command(BaseCommand):
    help = ("Import the Medicine and Equipment Connect list from a CSV file; nothing is imported if any line is bad, "
            "unless --skip-bad-lines is given.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--language", default="en", help="Language of the error messages (en, zh-hant, zh-hans).")
        parser.add_argument("--skip-bad-lines", action="store_true",
                            help="Import the good lines and report the bad ones (for the official list).")
        parser.add_argument("--source-en", default="", help="Source of every line that names none, in English.")
        parser.add_argument("--source-zh-hant", default="", help="The same in Traditional Chinese.")
        parser.add_argument("--source-zh-hans", default="", help="The same in Simplified Chinese.")
        parser.add_argument("--source-url", default="", help="Address of the published list.")

    def handle(self, *args, path, language, skip_bad_lines, source_en, source_zh_hant, source_zh_hans, source_url,
               **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        source = {"source_en": source_en, "source_zh_hant": source_zh_hant, "source_zh_hans": source_zh_hans,
                  "source_url": source_url}
        with translation.override(language):
            result = connect_items_import(actor=None, file=text, skip_bad_lines=skip_bad_lines,
                                          source=source if any(source.values()) else None)
            for error in result.errors:
                self.stderr.write(f"line {error.line}: {error.message}")
            nothing_written = not skip_bad_lines or not result.skipped or not (result.created + result.updated)
            if not result.ok and nothing_written:
                raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        self.stdout.write(f"{result.created} created, {result.updated} updated, {result.approvals} approvals added")
        if result.skipped:
            self.stdout.write(f"{len(result.skipped)} line(s) skipped: {', '.join(map(str, result.skipped))}")
