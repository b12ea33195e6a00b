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


@register.filter
def signed_dollars(value) -> str:
    """+HK$2,000 or −HK$108 (a true minus sign)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{'+' if amount >= 0 else '−'}HK${abs(amount):,}"
