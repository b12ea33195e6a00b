"""Pages under /<lang>/vouchers/: the resident's account and statement, the
service points, and the service-point staff pages. Thin: forms in, services
and selectors do the work.

The account pages also serve, read only, a caregiver with the right to see an
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.care.doors import CareRefused, resident_acted_for
from portal.care.models import Right
from portal.care.services import access_log_record as care_access_log_record

from . import selectors, services
from .forms import ClaimRecordForm, CodeForm, LedgerFilterForm, VoidForm


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- Residents (and their caregivers) ------------------------------------------------


def on_behalf(view):
    """Wraps the account pages under /vouchers/for/<resident id>/: a caregiver with
    the right to see the resident's vouchers (portal.care's rule, read on every
    request); each read goes into the resident's access log. A caregiver without
    that right now: a page that says so (403); anyone else: 404."""

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
    account = services.account_open(user=owner, today=today) if check.eligible else selectors.account_of(owner)
    context = {
        "eligibility": check,
        "account": account,
        "balance": selectors.balance_of(account),
        "allotment": selectors.allotment_of(account, today.year),
        "year": today.year,
        "cap": settings.VOUCHER_ACCUMULATION_CAP_HKD,
        "annual": settings.VOUCHER_ANNUAL_AMOUNT_HKD,
        "pending": list(selectors.pending_claims_for(owner)) if account else [],
        "recent": list(selectors.ledger_entries(account)[:5]) if account else [],
        "is_service_point_staff": acting_for is None and selectors.is_service_point_staff(request.user),
        "acting_for": acting_for,
    }
    return render(request, "vouchers/index.html", context)


def _filtered_entries(request: HttpRequest):
    account = selectors.account_of(_subject(request)[0])
    if account is None:
        raise Http404
    form = LedgerFilterForm(request.GET or None, years=selectors.ledger_years(account),
                            hospitals=selectors.ledger_hospitals(account))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.ledger_entries(account, year=filters.get("year"), kind=filters.get("kind", ""),
                                       hospital_id=filters.get("service_point"))
    return account, form, entries


@login_required
def history(request: HttpRequest) -> HttpResponse:
    account, form, entries = _filtered_entries(request)
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "vouchers/history.html", {
        "form": form, "page": page, "query": query.urlencode(), "balance": selectors.balance_of(account),
        "acting_for": _subject(request)[1],
    }, status=200 if form.is_valid() or not form.is_bound else 400)


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    account, form, entries = _filtered_entries(request)
    query = request.GET.urlencode()
    return render(request, "vouchers/statement.html", {
        "form": form, "entries": list(entries), "balance": selectors.balance_of(account), "account": account,
        "profile": getattr(_subject(request)[0], "profile", None), "query": query, "today": timezone.localdate(),
        "acting_for": _subject(request)[1],
    })


CSV_COLUMNS = ["number", "recorded_at", "kind", "amount_hkd", "balance_after_hkd", "allotment_year",
               "service_point", "department", "service_date", "visit_reference", "fee_rmb",
               "hkd_per_rmb", "note"]


@login_required
def statement_csv(request: HttpRequest) -> HttpResponse:
    _account, _form, entries = _filtered_entries(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="voucher-statement.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([
            entry.sequence, timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"), entry.kind,
            entry.amount_hkd, entry.balance_after, entry.allotment_year or "",
            entry.hospital.name if entry.hospital else "", entry.department.display_name if entry.department else "",
            entry.service_date.isoformat() if entry.service_date else "", entry.visit_reference,
            entry.amount_rmb if entry.amount_rmb is not None else "",
            entry.exchange_rate.hkd_per_rmb if entry.exchange_rate else "", entry.note,
        ])
    return response


@login_required
@require_POST
def claim_confirm(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_for_owner(request.user, claim_id)
    try:
        services.claim_confirm(actor=request.user, claim_id=claim.pk)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Claim confirmed: HK$%(amount)s was paid with your vouchers.") % {"amount": claim.voucher_amount})
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
            form.add_error("resident", _("No resident with this e-mail or identity card number has an account."))
        else:
            try:
                claim, _code = services.claim_record(
                    actor=request.user, resident=resident, department=form.cleaned_data["department"],
                    service_date=form.cleaned_data["service_date"], amount_rmb=form.cleaned_data["amount_rmb"],
                    visit_reference=form.cleaned_data["visit_reference"])
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
