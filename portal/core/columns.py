"""The bounds of a database column, for values a service computes before writing
them (a form bounds what was typed, not what is derived from it, such as a fee
converted to another currency)."""

from decimal import Decimal


def largest_decimal(model, field_name: str) -> Decimal:
    """The largest value a DecimalField column holds (its max_digits and decimal_places)."""
    field = model._meta.get_field(field_name)
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** -field.decimal_places
