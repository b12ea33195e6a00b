from django import template
from django.utils.translation import gettext as _

from portal.visits.selectors import document_labels

register = template.Library()


@register.filter
def document_label(code: str) -> str:
    """A document code of the visit guide in the active language."""
    return document_labels().get(code, "")


@register.filter
def payment_label(code: str) -> str:
    return {"wechat_pay": _("WeChat Pay"), "alipay": _("Alipay"), "cash": _("cash")}.get(code, "")
