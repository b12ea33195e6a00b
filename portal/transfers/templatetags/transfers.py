from django import template

from ..workflow import Role, State

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """The translated label of a state value (rendered in the active language)."""
    try:
        return str(State(value).label)
    except ValueError:
        return ""


@register.filter
def role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return ""
