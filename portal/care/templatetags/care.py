from django import template

from portal.care import selectors
from portal.care.models import Relationship, Right

register = template.Library()


@register.filter
def relationship_label(code: str) -> str:
    """A relationship code ("daughter") in the active language."""
    return str(Relationship(code).label) if code in Relationship.values else ""


@register.filter
def right_labels(codes) -> list[str]:
    """Right codes in the active language, in the order of Right."""
    chosen = set(codes or ())
    return [str(right.label) for right in Right if right.value in chosen]


@register.simple_tag
def people_cared_for(user) -> list:
    """The live care relationships of a caregiver, one per person (the dashboard's "acting as")."""
    return selectors.people_cared_for(user)
