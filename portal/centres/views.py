"""Pages for residents (consent, escorts, claims, their access log) and for centre
staff (the console). Staff pages answer 404 to anyone who is not centre staff, and
404 for residents who do not currently consent to the staff member's centre."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    CaseNoteForm,
    CaseOpenForm,
    ClaimDocumentForm,
    ClaimForm,
    ClaimMoveForm,
    ConsentForm,
    EscortAssignForm,
    EscortForm,
    ResidentSearchForm,
)
from .integrations import case_sections, on_behalf_actions
from .models import AccessWhat, Consent, EscortRequest, ServiceCentre


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def staff_required(view):
    """Centre staff only; everyone else gets a 404, as if the page did not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = getattr(request.user, "centre_membership", None)
        if membership is None:
            raise Http404
        request.centre = membership.centre
        request.is_centre_manager = membership.is_manager
        return view(request, *args, **kwargs)

    return wrapper


def _resident_or_404(request, resident_id):
    resident = selectors.assisted_resident(request.user, resident_id)
    if resident is None:
        raise Http404
    return resident


def _reason_or_redirect(request, resident):
    """The reason given for this case in this session, or a redirect to give one."""
    why = selectors.case_reason(request, resident.pk)
    if why:
        return why, None
    url = reverse("centres:case_open", args=[resident.pk]) + "?" + urlencode({"next": request.get_full_path()})
    return "", redirect(url)


# --- Residents: consent ------------------------------------------------------------


@login_required
def consent_index(request):
    form = ConsentForm(request.POST or None, initial={"months": services.DEFAULT_CONSENT_MONTHS})
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_grant(
                actor=request.user, centre=form.cleaned_data["centre"], months=form.cleaned_data["months"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(centre)s can now assist you.") % {"centre": consent.centre.name})
            return redirect("centres:consent")
    consents = selectors.consents_of(request.user)
    current = [c for c in consents if selectors.consent_is_live(c)]
    past = [c for c in consents if not selectors.consent_is_live(c)]
    return render(request, "centres/consent.html", {
        "form": form, "current": current, "past": past,
        "is_staff_account": getattr(request.user, "centre_membership", None) is not None,
    }, status=_status(form))


@login_required
@require_POST
def consent_revoke(request, consent_id: int):
    try:
        consent = services.consent_revoke(actor=request.user, consent_id=consent_id)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("You have withdrawn your consent. %(centre)s can no longer see your details or act for you.")
                     % {"centre": consent.centre.name})
    return redirect("centres:consent")


@login_required
def my_access_log(request):
    return render(request, "centres/access_log.html", {"entries": selectors.access_log_of(request.user)})


# --- Residents: escorts and claims ----------------------------------------------------


def _consented_centres(user):
    return ServiceCentre.objects.filter(pk__in=Consent.objects.active().filter(resident=user).values("centre_id"))


@login_required
def my_escorts(request):
    centres = _consented_centres(request.user)
    form = EscortForm(request.POST or None, centres=centres, resident=request.user,
                      initial={"appointment": request.GET.get("appointment", "")[:20]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.escort_request_create(
                actor=request.user, resident=request.user, centre=data["centre"], language=data["language"],
                hospital=data["hospital"], visit_at=data["visit_at"], appointment=data["appointment"],
                appointment_reference=data["appointment_reference"], notes=data["notes"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your escort request has been sent. The centre will tell you who will go with you."))
            return redirect("centres:my_escorts")
    return render(request, "centres/my_escorts.html", {
        "form": form, "escorts": selectors.escorts_of_resident(request.user), "has_centres": centres.exists(),
    }, status=_status(form))


@login_required
@require_POST
def my_escort_cancel(request, escort_id: int):
    escort = EscortRequest.objects.filter(pk=escort_id, resident=request.user).first()
    if escort is None:
        raise Http404
    services.escort_cancel(actor=request.user, escort_id=escort.pk)
    messages.success(request, _("Your escort request has been cancelled."))
    return redirect("centres:my_escorts")


@login_required
def my_claims(request):
    return render(request, "centres/my_claims.html", {"claims": selectors.claims_of_resident(request.user)})


@login_required
def my_claim(request, claim_id: int):
    claim = selectors.claim_for_resident(request.user, claim_id)
    if claim is None:
        raise Http404
    form = ClaimDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_document_add(actor=request.user, claim_id=claim.pk, upload=form.cleaned_data["file"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The document has been added to your claim."))
            return redirect("centres:my_claim", claim_id=claim.pk)
    return render(request, "centres/my_claim.html", {"claim": claim, "form": form}, status=_status(form))


@login_required
def claim_document(request, claim_id: int, document_id: int):
    """Streams a claim document to the resident, or to the claim's centre staff
    while the resident consents (that read is written to the access log)."""
    claim = selectors.claim_for_resident(request.user, claim_id)
    if claim is None:
        claim = selectors.claim_for_staff(request.user, claim_id)
        if claim is None:
            raise Http404
        why, redirect_response = _reason_or_redirect(request, claim.resident)
        if redirect_response:
            return redirect_response
        services.access_log_record(staff=request.user, resident=claim.resident, what=AccessWhat.CLAIM_DOCUMENT, why=why)
    document = next((d for d in claim.documents.all() if d.pk == int(document_id)), None)
    if document is None:
        raise Http404
    path = services.document_path(document)
    if not path.exists():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=document.content_type,  # noqa: SIM115 - FileResponse closes it
                            as_attachment=True, filename=document.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Staff: the console ------------------------------------------------------------


@staff_required
def console(request):
    form = ResidentSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.search_residents(request.user, **form.cleaned_data["q"])
    return render(request, "centres/console.html", {
        "form": form, "results": results, "centre": request.centre,
    }, status=_status(form))


@staff_required
def case_open(request, resident_id: int):
    resident = _resident_or_404(request, resident_id)
    form = CaseOpenForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    # Back to the page that asked for a reason (any page of this site, e.g. another
    # app's on-behalf page), never to another host.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("centres:case", args=[resident.pk])
    if request.method == "POST" and form.is_valid():
        selectors.remember_case_reason(request, resident.pk, form.cleaned_data["why"])
        return redirect(next_url)
    return render(request, "centres/case_open.html", {
        "form": form, "resident": resident, "next": next_url,
    }, status=_status(form))


@staff_required
def case(request, resident_id: int):
    resident = _resident_or_404(request, resident_id)
    why, redirect_response = _reason_or_redirect(request, resident)
    if redirect_response:
        return redirect_response
    services.access_log_record(staff=request.user, resident=resident, what=AccessWhat.CASE, why=why)
    return _render_case(request, resident, why, note_form=CaseNoteForm())


def _render_case(request, resident, why, *, note_form, status=200):
    centre = request.centre
    return render(request, "centres/case.html", {
        "resident": resident, "profile": getattr(resident, "profile", None), "why": why,
        "why_label": _reason_label(why),
        "consent": selectors.live_consent(centre, resident),
        "notes": selectors.case_notes(centre, resident),
        "escorts": selectors.escorts_for_case(centre, resident),
        "claims": selectors.claims_for_case(centre, resident),
        "sections": case_sections(resident),
        "actions": on_behalf_actions(resident.pk),
        "note_form": note_form,
    }, status=status)


def _reason_label(why: str) -> str:
    from .models import AccessReason

    return str(AccessReason(why).label) if why in AccessReason.values else why


@staff_required
@require_POST
def case_note_add(request, resident_id: int):
    resident = _resident_or_404(request, resident_id)
    why, redirect_response = _reason_or_redirect(request, resident)
    if redirect_response:
        return redirect_response
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        services.case_note_add(actor=request.user, resident=resident, body=form.cleaned_data["body"])
        messages.success(request, _("The note has been added."))
        return redirect("centres:case", resident_id=resident.pk)
    services.access_log_record(staff=request.user, resident=resident, what=AccessWhat.CASE, why=why)
    return _render_case(request, resident, why, note_form=form, status=400)


@staff_required
def escort_new_for(request, resident_id: int):
    resident = _resident_or_404(request, resident_id)
    why, redirect_response = _reason_or_redirect(request, resident)
    if redirect_response:
        return redirect_response
    form = EscortForm(request.POST or None, resident=resident,
                      initial={"appointment": request.GET.get("appointment", "")[:20]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.escort_request_create(
                actor=request.user, resident=resident, centre=request.centre, language=data["language"],
                hospital=data["hospital"], visit_at=data["visit_at"], appointment=data["appointment"],
                appointment_reference=data["appointment_reference"], notes=data["notes"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The escort request has been recorded for %(name)s.") % {"name": resident.display_name})
            return redirect("centres:case", resident_id=resident.pk)
    # The form lists the resident's upcoming appointments: a read of their data.
    services.access_log_record(staff=request.user, resident=resident, what=AccessWhat.ESCORT, why=why)
    return render(request, "centres/escort_new_for.html", {"form": form, "resident": resident}, status=_status(form))


@staff_required
def escorts(request):
    staff_queryset = _centre_staff_queryset(request.centre)
    rows = [
        (escort, EscortAssignForm(staff_queryset=staff_queryset, initial={"staff_member": escort.assigned_to_id},
                                  prefix=f"e{escort.pk}"))
        for escort in selectors.centre_escorts(request.centre)
    ]
    return render(request, "centres/escorts.html", {"rows": rows, "centre": request.centre})


def _centre_staff_queryset(centre):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(centre_membership__centre=centre).select_related("profile").order_by("email")


@staff_required
@require_POST
def escort_assign(request, escort_id: int):
    form = EscortAssignForm(request.POST, staff_queryset=_centre_staff_queryset(request.centre), prefix=f"e{escort_id}")
    if not form.is_valid():
        messages.error(request, _("Choose a member of your centre's staff."))
        return redirect("centres:escorts")
    try:
        escort = services.escort_assign(actor=request.user, escort_id=escort_id, staff_member=form.cleaned_data["staff_member"])
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("centres:escorts")
    messages.success(request, _("%(escort)s will escort %(resident)s. Both have been told.")
                     % {"escort": escort.assigned_to.display_name, "resident": escort.resident.display_name})
    return redirect("centres:escorts")


@staff_required
def claim_new_for(request, resident_id: int):
    resident = _resident_or_404(request, resident_id)
    why, redirect_response = _reason_or_redirect(request, resident)
    if redirect_response:
        return redirect_response
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(actor=request.user, resident=resident, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The claim has been created. Add the receipts and reports next."))
            return redirect("centres:staff_claim", claim_id=claim.pk)
    return render(request, "centres/claim_new_for.html", {"form": form, "resident": resident}, status=_status(form))


@staff_required
def staff_claim(request, claim_id: int):
    claim = selectors.claim_for_staff(request.user, claim_id)
    if claim is None:
        raise Http404
    why, redirect_response = _reason_or_redirect(request, claim.resident)
    if redirect_response:
        return redirect_response
    form = ClaimDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_document_add(actor=request.user, claim_id=claim.pk, upload=form.cleaned_data["file"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The document has been added to the claim."))
            return redirect("centres:staff_claim", claim_id=claim.pk)
    services.access_log_record(staff=request.user, resident=claim.resident, what=AccessWhat.CLAIM, why=why)
    moves = services.CLAIM_WORKFLOW.moves_from(claim.status, selectors.claim_roles(request.user, claim))
    return render(request, "centres/staff_claim.html", {
        "claim": claim, "form": form, "moves": moves, "move_form": ClaimMoveForm(),
    }, status=_status(form))


@staff_required
@require_POST
def claim_move(request, claim_id: int):
    form = ClaimMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid next step for the claim."))
        return redirect("centres:staff_claim", claim_id=claim_id)
    try:
        claim = services.claim_move(actor=request.user, claim_id=claim_id, to_status=form.cleaned_data["to_status"],
                                    note=form.cleaned_data["note"])
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("centres:staff_claim", claim_id=claim_id)
    messages.success(request, _("The claim is now: %(status)s.") % {"status": claim.get_status_display()})
    return redirect("centres:staff_claim", claim_id=claim.pk)


@staff_required
def workload(request):
    if not request.is_centre_manager:
        raise Http404
    return render(request, "centres/workload.html", {"centre": request.centre, **selectors.workload(request.centre)})

