from django import forms
from django.utils.translation import gettext_lazy as _

from portal.vouchers.selectors import visit_payable_with_vouchers

from . import services


class BookingDetailsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for your visit"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words for the doctor, for example “follow-up for blood pressure”."),
    )
    id_document = forms.ChoiceField(
        label=_("Identity document you will bring"), widget=forms.RadioSelect,
        help_text=_("Bring the original document. Only the last digits are shown here."),
    )
    pay_with_vouchers = forms.BooleanField(
        label=_("I want to pay with Elderly Health Care Vouchers"), required=False,
        help_text=_("The hospital's cashier checks your identity card and makes the claim at the visit."),
    )

    def __init__(self, *args, resident, department, **kwargs):
        super().__init__(*args, **kwargs)
        choices = services.documents_available(resident)
        self.fields["id_document"].choices = choices
        if len(choices) == 1:
            self.fields["id_document"].initial = choices[0][0]
        # Whether this resident can pay here with vouchers, and why not; shown
        # next to the form so nobody ticks a box that cannot work.
        self.voucher_check = visit_payable_with_vouchers(resident, department) if services.vouchers_allowed(department) else None
        if self.voucher_check is None or not self.voucher_check.payable:
            del self.fields["pay_with_vouchers"]


# Database ids (bigint): a number past them is a form error, not a query.
DATABASE_ID = {"min_value": 1, "max_value": 2**63 - 1}


class SlotChoiceForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput, **DATABASE_ID)


class WaitlistForm(forms.Form):
    department = forms.IntegerField(widget=forms.HiddenInput, **DATABASE_ID)
    date = forms.DateField(widget=forms.HiddenInput)
