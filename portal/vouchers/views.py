"""Pages under /<lang>/vouchers/: the resident's vouchers (the balance from the
voucher registry when one is configured, and the claims made through the
portal), the service points, Macao's schemes, and the service-point staff
pages. Thin: forms in, services and selectors do the work.

The resident's pages also serve, read only, a caregiver with the right to see an
elder's vouchers, under /vouchers/for/<resident id>/ (`on_behalf`). Confirming or
declining a claim stays with the elder."""

import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.care.doors import CareRefused, resident_acted_for
from portal.care.models import Right
from portal.care.services import access_log_record as care_access_log_record
from portal.core.formatting import money

from . import selectors, services
from .forms import ClaimFilterForm, ClaimRecordForm, CodeForm, InsuranceCheckForm, VoidForm


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- Residents (and their caregivers) ------------------------------------------------

RECENT = 5


def on_behalf(view):
    """Wraps the resident's pages under /vouchers/for/<resident id>/: a caregiver
    with the right to see the resident's vouchers (portal.care's rule, read on
    every request); each read goes into the resident's access log. A caregiver
    without that right now: a page that says so (403); anyone else: 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, resident_id: int, **kwargs) -> HttpResponse:
        if resident_id == request.user.pk:
            raise Http404
        try:
            acting = resident_acted_for(request.user, resident_id, Right.VOUCHERS, allow_staff=False)
        except CareRefused as refused:
            return render(request, "care/refused.html", {"message": refused.message}, status=403)
        care_access_log_record(link=acting.care_link, what="vouchers")
        request.vouchers_acting_for = acting.resident
        return view(request, *args, **kwargs)

    return wrapper


def _subject(request: HttpRequest):
    """(whose vouchers, acting_for for templates): a caregiver's elder, or oneself."""
    resident = getattr(request, "vouchers_acting_for", None)
    return (resident, resident) if resident is not None else (request.user, None)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    owner, acting_for = _subject(request)
    check = selectors.eligibility_for(owner, today)
    account = selectors.account_of(owner)
    profile = getattr(owner, "profile", None)
    context = {
        "eligibility": check,
        "registry": selectors.registry_view(owner, with_history=RECENT) if check.eligible else None,
        "pending": list(selectors.pending_claims_for(owner)) if account else [],
        "recent": list(selectors.claims_of(account)[:RECENT]) if account else [],
        "is_macao_resident": bool(profile and profile.is_macao_resident),
        "is_service_point_staff": acting_for is None and selectors.is_service_point_staff(request.user),
        "cap": settings.VOUCHER_ACCUMULATION_CAP_HKD,
        "annual": settings.VOUCHER_ANNUAL_AMOUNT_HKD,
        "acting_for": acting_for,
    }
    return render(request, "vouchers/index.html", context)


def _filtered_claims(request: HttpRequest):
    account = selectors.account_of(_subject(request)[0])
    if account is None:
        raise Http404
    form = ClaimFilterForm(request.GET or None, years=selectors.claim_years(account),
                           hospitals=selectors.claim_hospitals(account))
    filters = form.cleaned_data if form.is_valid() else {}
    claims = selectors.claims_of(account, year=filters.get("year"), status=filters.get("status", ""),
                                 hospital_id=filters.get("service_point"))
    return account, form, claims


@login_required
def history(request: HttpRequest) -> HttpResponse:
    _account, form, claims = _filtered_claims(request)
    page = Paginator(claims, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    owner, acting_for = _subject(request)
    return render(request, "vouchers/history.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "registry": selectors.registry_view(owner, with_history=50), "acting_for": acting_for,
    }, status=200 if form.is_valid() or not form.is_bound else 400)


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    account, form, claims = _filtered_claims(request)
    owner, acting_for = _subject(request)
    return render(request, "vouchers/statement.html", {
        "form": form, "claims": list(claims), "account": account, "registry": selectors.registry_view(owner),
        "profile": getattr(owner, "profile", None), "query": request.GET.urlencode(),
        "now": timezone.localtime(), "acting_for": acting_for,
    })


CSV_COLUMNS = ["claim", "recorded_at", "status", "service_point", "department", "service_date", "visit_reference",
               "fee_rmb", "hkd_per_rmb", "fee_hkd", "vouchers_hkd", "primary_care", "submitted_to",
               "reference_in_voucher_system"]


@login_required
def statement_csv(request: HttpRequest) -> HttpResponse:
    _account, _form, claims = _filtered_claims(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="voucher-claims.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        writer.writerow([
            claim.pk, timezone.localtime(claim.created_at).strftime("%Y-%m-%d %H:%M"), claim.status,
            claim.hospital.name, claim.department.display_name, claim.service_date.isoformat(), claim.visit_reference,
            claim.amount_rmb, claim.exchange_rate.hkd_per_rmb, claim.fee_hkd, claim.voucher_amount,
            "yes" if claim.primary_care else "no", claim.registry_name, claim.registry_reference,
        ])
    return response


@login_required
@require_POST
def claim_confirm(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_owner(request.user, claim_id)
    try:
        claim = services.claim_confirm(actor=request.user, claim_id=claim.pk)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if claim.registry_reference:
            messages.success(request, _("Claim confirmed: %(amount)s was paid with your vouchers (%(source)s).")
                             % {"amount": money(claim.voucher_amount), "source": claim.registry_name})
        else:
            messages.success(request, _(
                "Claim confirmed. The service point makes the claim of %(amount)s in the Department of Health's "
                "voucher system; your balance is shown in the eHealth app.") % {"amount": money(claim.voucher_amount)})
    return redirect("vouchers:index")


@login_required
@require_POST
def claim_reject(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_owner(request.user, claim_id)
    try:
        services.claim_reject(actor=request.user, claim_id=claim.pk)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You declined the claim. Nothing was deducted."))
    return redirect("vouchers:index")


def service_points(request: HttpRequest) -> HttpResponse:
    return render(request, "vouchers/service_points.html", {"groups": selectors.service_points_by_city()})


# --- Macao residents ---------------------------------------------------------------------


def macao(request: HttpRequest) -> HttpResponse:
    """Macao's schemes: where Macao's medical vouchers can be used, moving them
    to family, and the medical insurance subsidy's check."""
    return render(request, "vouchers/macao.html", {
        **selectors.macao_page(), "form": InsuranceCheckForm(initial=_insurance_initial(request)),
    })


def _insurance_initial(request: HttpRequest) -> dict:
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    if profile is None:
        return {}
    initial = {"date_of_birth": profile.date_of_birth}
    if profile.is_macao_resident:
        initial["has_macao_id"] = "yes"
    return initial


@require_http_methods(["GET", "POST"])
def macao_insurance_check(request: HttpRequest) -> HttpResponse:
    """The medical insurance subsidy's eligibility check (POST: a date of birth
    does not belong in an address)."""
    if request.method == "GET":
        return redirect(f"{reverse('vouchers:macao')}#insurance-check")
    form = InsuranceCheckForm(request.POST)
    result = form.check(on=timezone.localdate()) if form.is_valid() else None
    return render(request, "vouchers/macao.html", {**selectors.macao_page(), "form": form, "result": result},
                  status=200 if result is not None else 400)


# --- Service-point staff -------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not selectors.is_service_point_staff(request.user):
        raise Http404


@login_required
def staff_claims(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    page = Paginator(selectors.claims_at_service_points(request.user).order_by("-created_at", "-id"), 25).get_page(
        request.GET.get("page"))
    return render(request, "vouchers/staff_claims.html", {
        "page": page, "code_form": CodeForm(), "void_form": VoidForm(),
    })


@login_required
def staff_claim_new(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    departments = selectors.voucher_departments_for(request.user)
    form = ClaimRecordForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        resident = selectors.find_resident(form.cleaned_data["resident"])
        if resident is None:
            form.add_error("resident", _("No resident with this e-mail, identity card or Certificate of Exemption number has an account."))
        else:
            try:
                claim, _code = services.claim_record(
                    actor=request.user, resident=resident, department=form.cleaned_data["department"],
                    service_date=form.cleaned_data["service_date"], amount_rmb=form.cleaned_data["amount_rmb"],
                    visit_reference=form.cleaned_data["visit_reference"],
                    primary_care=form.cleaned_data["primary_care"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                profile = getattr(resident, "profile", None)
                messages.success(request, _(
                    "Claim of HK$%(amount)s recorded for %(name)s (%(id)s). The resident has been sent a one-time "
                    "code: they confirm in the portal or tell you the code.") % {
                        "amount": claim.voucher_amount, "name": resident.display_name,
                        "id": profile.masked_id_number if profile else "—"})
                return redirect("vouchers:staff_claims")
    return render(request, "vouchers/staff_claim_new.html", {"form": form, "has_departments": departments.exists()},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def staff_claim_code(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_service_point(request.user, claim_id)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the six-digit code the resident received."))
        return redirect("vouchers:staff_claims")
    try:
        services.claim_confirm(actor=request.user, claim_id=claim.pk, code=form.cleaned_data["code"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Claim confirmed with the resident's code."))
    return redirect("vouchers:staff_claims")


@login_required
@require_POST
def staff_claim_void(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_service_point(request.user, claim_id)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for voiding the claim."))
        return redirect("vouchers:staff_claims")
    try:
        services.claim_void(actor=request.user, claim_id=claim.pk, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Claim voided."))
    return redirect("vouchers:staff_claims")
