"""Writes to the Connect list. The CSV import validates the whole file first and
writes it in one transaction: either every row is imported or none is."""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.core.bad_input import control_characters_message, has_control_characters
from portal.hospitals.models import DatePrecision, Hospital
from portal.hospitals.services import search_data_changed

from .models import ConnectItem, ItemApproval, TherapeuticArea

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("name_en", "name_zh_hant", "name_zh_hans", "kind", "therapeutic_area", "institutions")
OPTIONAL_COLUMNS = (
    "slug", "brand_name_en", "brand_name_zh_hant", "brand_name_zh_hans", "dosage_form",
    "indication_en", "indication_zh_hant", "indication_zh_hans", "hk_registration_no", "holder",
    "first_reported", "status", "coverage_notes_en", "coverage_notes_zh_hant", "coverage_notes_zh_hans",
    "source_note", "source_en", "source_zh_hant", "source_zh_hans", "source_url",
)
# The source of each item (which report or list it comes from): given per line, or
# for the whole file (import_connect_items --source-en ...) when the official list
# is imported as published.
SOURCE_COLUMNS = ("source_en", "source_zh_hant", "source_zh_hans", "source_url")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
# Each text column and the ConnectItem field it is written to: a value is checked
# with the field's own validators (length, slug) before anything is written.
TEXT_COLUMNS = {
    "name_en": "generic_name_en", "name_zh_hant": "generic_name_zh_hant", "name_zh_hans": "generic_name_zh_hans",
    **{column: column for column in (
        "slug", "brand_name_en", "brand_name_zh_hant", "brand_name_zh_hans", "dosage_form", "indication_en",
        "indication_zh_hant", "indication_zh_hans", "hk_registration_no", "holder", "coverage_notes_en",
        "coverage_notes_zh_hant", "coverage_notes_zh_hans", "source_note", *SOURCE_COLUMNS)},
}


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    approvals: int = 0
    errors: list[RowError] = field(default_factory=list)
    # With skip_bad_lines: the lines left out because of the errors above.
    skipped: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_partial_date(value: str) -> date:
    """'2021', '2021-04' or '2021-04-29' (a year or month alone means its first day)."""
    return parse_partial_date_with_precision(value)[0]


def parse_partial_date_with_precision(value: str) -> tuple[date, str]:
    """The first day the date may be, and how much of it was published (a year alone
    is never shown with an invented month)."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) if part else 1 for part in match.groups())
    precision = DatePrecision.DAY if match.group(3) else DatePrecision.MONTH if match.group(2) else DatePrecision.YEAR
    return date(year, month, day), precision


def _area_code(value: str) -> str:
    return slugify(value.strip())


def _column_problems(values: dict[str, str]) -> list[str]:
    """What is wrong with each text column of one line, checked against its field."""
    problems = []
    for column, field_name in TEXT_COLUMNS.items():
        value = values.get(column, "")
        if not value:
            continue
        if has_control_characters(value):
            messages = [control_characters_message()]
        else:
            try:
                ConnectItem._meta.get_field(field_name).run_validators(value)
                continue
            except ValidationError as error:
                messages = error.messages
        problems.extend(_("“%(column)s”: %(problem)s") % {"column": column, "problem": message}
                        for message in messages)
    return problems


def _validate(rows: list[tuple[int, dict]], areas: dict[str, TherapeuticArea],
              hospitals: dict[str, Hospital]) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    clean: list[dict] = []
    seen_slugs: dict[str, int] = {}
    kinds = set(ConnectItem.Kind.values)
    statuses = set(ConnectItem.Status.values)
    for line, row in rows:
        row = {key: (value or "").strip() for key, value in row.items() if key}
        problems: list[str] = []
        for column in ("name_en", "name_zh_hant", "name_zh_hans"):
            if not row.get(column):
                problems.append(_("“%(column)s” is empty.") % {"column": column})
        if row.get("kind") not in kinds:
            problems.append(_("Kind must be “drug” or “device”, not “%(value)s”.") % {"value": row.get("kind", "")})
        status = row.get("status") or ConnectItem.Status.LISTED
        if status not in statuses:
            problems.append(_("Status must be “listed” or “delisted”, not “%(value)s”.") % {"value": status})
        area = areas.get(_area_code(row.get("therapeutic_area", "")))
        if area is None:
            problems.append(_("Unknown therapeutic area “%(value)s”.") % {"value": row.get("therapeutic_area", "")})
        slugs = [part.strip() for part in row.get("institutions", "").split(";") if part.strip()]
        if not slugs:
            problems.append(_("No approved institution is given."))
        unknown = [slug for slug in slugs if slug not in hospitals]
        if unknown:
            problems.append(_("Unknown institution(s): %(slugs)s.") % {"slugs": ", ".join(unknown)})
        approval_date, precision = None, DatePrecision.DAY
        if row.get("first_reported"):
            try:
                approval_date, precision = parse_partial_date_with_precision(row["first_reported"])
            except ValueError:
                problems.append(_("“%(value)s” is not a date (use YYYY, YYYY-MM or YYYY-MM-DD).")
                                % {"value": row["first_reported"]})
        slug = row.get("slug") or slugify(row.get("name_en", ""))[:100]
        if row.get("name_en") and not slug:
            problems.append(_("Cannot make a web address from the English name; give a slug."))
        if slug and slug in seen_slugs:
            problems.append(_("The same item appears on line %(line)s.") % {"line": seen_slugs[slug]})
        seen_slugs.setdefault(slug, line)
        problems.extend(_column_problems({**row, "slug": slug}))
        if problems:
            errors.extend(RowError(line, message) for message in problems)
            continue
        clean.append({
            "slug": slug, "kind": row["kind"], "status": status, "therapeutic_area": area,
            "approval_date": approval_date, "approval_date_precision": precision,
            "institutions": [hospitals[slug] for slug in slugs],
            **{column: row.get(column, "") for column in (
                "dosage_form", "hk_registration_no", "holder", "source_note",
                "brand_name_en", "brand_name_zh_hant", "brand_name_zh_hans",
                "indication_en", "indication_zh_hant", "indication_zh_hans",
                "coverage_notes_en", "coverage_notes_zh_hant", "coverage_notes_zh_hans", *SOURCE_COLUMNS)},
            "generic_name_en": row["name_en"], "generic_name_zh_hant": row["name_zh_hant"],
            "generic_name_zh_hans": row["name_zh_hans"],
        })
    return clean, errors


def connect_items_import(*, actor, file: io.TextIOBase | str, skip_bad_lines: bool = False,
                         source: dict[str, str] | None = None) -> ImportResult:
    """Import the Connect list from CSV text (columns as in portal/medicines/data/connect_items.csv).

    Every row is validated before anything is written; with any error nothing
    is written and the result lists every error with its line number (the
    header is line 1). With `skip_bad_lines` (the official list, whose lines may
    name institutions the portal does not know yet) the good lines are written
    and the bad ones listed in `errors` and `skipped`. `source` (SOURCE_COLUMNS)
    is the source of every line that names none. Items are matched by slug (made
    from the English name when absent); approvals in the file are added,
    existing ones are kept."""
    text = file if isinstance(file, str) else file.read()
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    result = ImportResult()
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        result.errors.append(RowError(1, _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}))
        return result
    rows = []
    try:
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            rows.append((reader.line_num, row))
    except csv.Error as error:
        result.errors.append(RowError(reader.line_num, _("The file is not valid CSV: %(error)s") % {"error": error}))
        return result
    if not rows:
        result.errors.append(RowError(1, _("The file has no rows to import.")))
        return result
    areas = {area.code: area for area in TherapeuticArea.objects.all()}
    hospitals = {hospital.slug: hospital for hospital in Hospital.objects.only("id", "slug")}
    if source:
        rows = [(line, {**row, **{column: source.get(column, "") for column in SOURCE_COLUMNS}}
                 if not any((row.get(column) or "").strip() for column in SOURCE_COLUMNS) else row)
                for line, row in rows]
    clean, result.errors = _validate(rows, areas, hospitals)
    if result.errors and not skip_bad_lines:
        return result
    result.skipped = sorted({error.line for error in result.errors})
    with transaction.atomic():
        for data in clean:
            institutions = data.pop("institutions")
            item, created = ConnectItem.objects.update_or_create(slug=data.pop("slug"), defaults=data)
            result.created += created
            result.updated += not created
            for hospital in institutions:
                _approval, made = ItemApproval.objects.get_or_create(
                    item=item, hospital=hospital, defaults={"approved_on": data["approval_date"],
                                                            "approved_on_precision": data["approval_date_precision"]}
                )
                result.approvals += made
        search_data_changed()
    logger.info("Connect list imported by %s: %s created, %s updated, %s approvals added",
                getattr(actor, "pk", None), result.created, result.updated, result.approvals)
    return result


def connect_item_save(*, actor, item: ConnectItem) -> ConnectItem:
    """Save an item edited in the admin, and let search see the change."""
    with transaction.atomic():
        item.save()
        search_data_changed()
    logger.info("Connect item %s saved by %s", item.pk, getattr(actor, "pk", None))
    return item
