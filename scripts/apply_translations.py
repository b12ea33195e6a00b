"""Fill a pair of catalogues from a table of translations.

Usage: python scripts/apply_translations.py TABLE.py CATALOGUE_DIR
TABLE.py defines T = {msgid: (zh_hant, zh_hans)} and optionally
PLURALS = {msgid: (zh_hant, zh_hans)} (Chinese has one plural form).
Entries already translated are kept unless the table has them; fuzzy flags on
entries from the table are cleared. Prints what is still untranslated."""

import runpy
import sys
from pathlib import Path

import polib


def main(table_path: str, catalogue_dir: str) -> int:
    table = runpy.run_path(table_path)
    singular, plurals = table.get("T", {}), table.get("PLURALS", {})
    remaining = 0
    for index, language in enumerate(["zh_Hant", "zh_Hans"]):
        path = Path(catalogue_dir) / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        catalogue.metadata["Language"] = language
        catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        for entry in catalogue:
            if entry.msgid_plural and entry.msgid in plurals:
                entry.msgstr_plural = {0: plurals[entry.msgid][index]}
            elif entry.msgid in singular:
                entry.msgstr = singular[entry.msgid][index]
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
        catalogue.save()
        missing = [entry.msgid for entry in catalogue.untranslated_entries()] + [entry.msgid for entry in catalogue.fuzzy_entries()]
        remaining += len(missing)
        for msgid in missing:
            print(f"{path}: untranslated: {msgid!r}")
    return 1 if remaining else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
