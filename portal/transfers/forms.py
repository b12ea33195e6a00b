from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.models import IDENTITY_DOCUMENT_CHOICES
from portal.core.formatting import money
from portal.hospitals.models import BorderPoint

from .models import Escort, Route, TransferRequest
from .selectors import account_named_as_patient


def fee_text(route: Route) -> str:
    if route.fee_rmb is None:
        return str(_("fee not published: the sending hospital will quote it"))
    return str(_("fee %(fee)s, charged by the sending hospital")) % {"fee": money(route.fee_rmb, "RMB")}


def route_choices(routes) -> list[tuple[str, str]]:
    """One choice per direction a route runs: "<id>" and, for two-way routes, "<id>:reverse"."""
    choices = []
    for route in routes:
        pairs = [("", route.sending_hospital, route.receiving_hospital)]
        if route.direction == Route.Direction.BOTH:
            pairs.append((":reverse", route.receiving_hospital, route.sending_hospital))
        for suffix, sending, receiving in pairs:
            label = _("%(sending)s → %(receiving)s, via %(border)s — %(fee)s") % {
                "sending": sending.name, "receiving": receiving.name, "border": route.border_point.name,
                "fee": fee_text(route),
            }
            choices.append((f"{route.pk}{suffix}", label))
    return choices


class RouteField(forms.ChoiceField):
    """Offers the running routes, but lets any known route through to the filing
    service, whose one rule (services.route_refusal) says why a route that is not
    running cannot be requested."""

    def valid_value(self, value) -> bool:
        return True


class TransferRequestForm(forms.Form):
    route = RouteField(
        label=_("Route"), widget=forms.RadioSelect,
        help_text=_("The fee shown is the quote for the route; a route whose fee is not published is quoted by the sending hospital."),
    )
    patient_kind = forms.ChoiceField(label=_("Who is the patient?"), choices=TransferRequest.PatientKind.choices,
                                     widget=forms.RadioSelect, initial=TransferRequest.PatientKind.SELF)
    patient_email = forms.EmailField(label=_("Patient's account e-mail"), required=False,
                                     help_text=_("Only if the patient is another resident with an account."))
    patient_name = forms.CharField(label=_("Patient's name"), max_length=150, required=False,
                                   help_text=_("Only if the patient has no account."))
    patient_document_type = forms.ChoiceField(
        label=_("Patient's identity document"), required=False,
        choices=[("", _("Recognise it from the number"))] + IDENTITY_DOCUMENT_CHOICES,
        help_text=_("A Certificate of Exemption must be chosen here; the other documents are recognised from their numbers."),
    )
    patient_document = forms.CharField(
        label=_("Patient's identity document number"), max_length=20, required=False,
        help_text=_("Only if the patient has no account. Hong Kong or Macao identity card, Certificate of Exemption or Mainland Travel Permit. Only a masked form is kept."),
    )
    clinical_summary = forms.CharField(label=_("Clinical summary"), widget=forms.Textarea(attrs={"rows": 4}),
                                       max_length=4000)
    mobility_needs = forms.CharField(label=_("Mobility needs"), required=False, max_length=1000,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("For example: bed-bound, needs a stretcher, can sit."))
    equipment_needs = forms.CharField(label=_("Equipment needs"), required=False, max_length=1000,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("For example: oxygen, monitor, infusion pump."))
    preferred_date = forms.DateField(label=_("Preferred date"), widget=forms.DateInput(attrs={"type": "date"}))
    preferred_time = forms.TimeField(label=_("Preferred time"), required=False,
                                     widget=forms.TimeInput(attrs={"type": "time"}))
    consent_to_share = forms.BooleanField(
        label=_("I agree that this information is shared with the sending and receiving hospitals and the border authorities for this transfer."),
        error_messages={"required": _("The transfer cannot be requested without consent to share the information.")},
    )
    attachment = forms.FileField(label=_("A document (optional)"), required=False,
                                 help_text=_("PDF, JPEG or PNG, up to 10 MB. You can add more later."))

    def __init__(self, *args, routes=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import route_refusal

        self.routes = {route.pk: route for route in routes or []}
        self.fields["route"].choices = route_choices(
            route for route in self.routes.values() if route_refusal(route) is None)

    def clean_route(self):
        value = self.cleaned_data["route"]
        route_id, _sep, suffix = value.partition(":")
        route = self.routes.get(int(route_id)) if route_id.isdigit() else None
        if route is None:
            raise forms.ValidationError(_("Choose a route."))
        return route, suffix == "reverse"

    def clean(self):
        data = super().clean()
        kind = data.get("patient_kind")
        if kind == TransferRequest.PatientKind.RESIDENT:
            if not data.get("patient_email"):
                self.add_error("patient_email", _("Enter the e-mail address of the patient's portal account."))
            # Whether it names someone the actor may request for is the service's to say.
            data["patient_user"] = account_named_as_patient(data.get("patient_email", ""))
        elif kind == TransferRequest.PatientKind.PERSON and not data.get("patient_name", "").strip():
            self.add_error("patient_name", _("Enter the patient's name."))
        upload = data.get("attachment")
        if upload and upload.size > settings.TRANSFER_ATTACHMENT_MAX_BYTES:
            self.add_error("attachment", _("The file is too large: the limit is %(size)s MB.")
                           % {"size": settings.TRANSFER_ATTACHMENT_MAX_BYTES // (1024 * 1024)})
        return data


class EscortForm(forms.Form):
    kind = forms.ChoiceField(label=_("Escort"), choices=Escort.Kind.choices, initial=Escort.Kind.RELATIVE)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150, required=False)
    relationship = forms.CharField(label=_("Relationship or role"), max_length=100, required=False)


EscortFormSet = forms.formset_factory(EscortForm, extra=2, max_num=4)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document"), help_text=_("PDF, JPEG or PNG, up to 10 MB."))


class MoveForm(forms.Form):
    """The target state comes from the button's form (`to`); the prefix is the target."""

    note = forms.CharField(label=_("Note or reason"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PreregistrationForm(MoveForm):
    vehicle_plate_hk_macao = forms.CharField(label=_("Hong Kong or Macao plate"), max_length=20)
    vehicle_plate_mainland = forms.CharField(label=_("Mainland plate"), max_length=20)
    crew = forms.CharField(label=_("Crew on board"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    documents_checked = forms.BooleanField(label=_("The patient's travel documents are checked"))
    crossing_border_point = forms.ModelChoiceField(label=_("Border control point"), queryset=BorderPoint.objects.all())
    crossing_at = forms.DateTimeField(label=_("Crossing time"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
