from django import template

register = template.Library()


@register.filter
def dollars(value) -> str:
    """Whole Hong Kong dollars with a comma every three digits (2,000), the same
    in every language, as on the scheme's own statements."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""
