"""Which database constraint an IntegrityError broke.

Code that turns a constraint's failure into a clear answer asks for the
constraint by its name (the `name` of a UniqueConstraint or CheckConstraint in a
model's Meta.constraints), never by a piece of the database's message.
"""

import re

from django.apps import apps
from django.db import IntegrityError, models

# SQLite names a failed unique index by its columns, a failed check by its name.
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint `error` reports, or None if it names none
    (a NOT NULL or foreign key failure, a unique column without a named
    constraint on SQLite)."""
    diagnostic = getattr(error.__cause__, "diag", None)  # psycopg: PostgreSQL says which
    if diagnostic is not None:
        return diagnostic.constraint_name
    message = str(error)
    if found := _SQLITE_CHECK.search(message):
        return found["name"]
    if found := _SQLITE_UNIQUE.search(message):
        tables, columns = set(), set()
        for qualified in found["columns"].split(","):
            table, _dot, column = qualified.strip().partition(".")
            tables.add(table)
            columns.add(column)
        if len(tables) == 1:
            return _unique_constraint_on(tables.pop(), columns)
    return None


def _unique_constraint_on(table: str, columns: set[str]) -> str | None:
    for model in apps.get_models():
        if model._meta.db_table != table:
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields and {
                model._meta.get_field(name).column for name in constraint.fields
            } == columns:
                return constraint.name
    return None
