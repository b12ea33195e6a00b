"""Translated fields read as plain values (values() rows or hand-written SQL), shown
as modeltranslation's descriptors would show them on a model instance."""

from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order


def translated_columns(field: str, language: str | None = None) -> list[str]:
    """The columns of a translated field in the order modeltranslation reads them
    for `language` (the active one by default): that language's, then its fallbacks'."""
    return [build_localized_fieldname(field, code) for code in resolution_order(language or get_language())]


def translated_value(row: dict, columns: list[str]) -> str:
    """The first non-empty of `columns` in `row` (see `translated_columns`)."""
    return next((row[column] for column in columns if row[column]), "")
