"""Pages under /<lang>/care/: an elder's caregivers (invite, answer, change, end),
the people a caregiver cares for (the "acting as" hub), invitations, and centre
staff recording a relationship on paper consent. Thin: forms in, services and
selectors do the work."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import DEFAULT_RIGHTS, AskForm, InviteForm, RecordForm, RightsForm
from .models import CareLink, Right

SESSION_INVITATION = "care_invitation"  # the session key of an invitation opened before signing in


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def index(request):
    as_elder = selectors.caregivers_of(request.user)
    as_caregiver = selectors.cared_for_by(request.user)
    token = request.session.get(SESSION_INVITATION, "")
    waiting = selectors.invitation_for(token) if token else None
    return render(request, "care/index.html", {
        "caregivers": [link for link in as_elder if link.status == CareLink.Status.ACTIVE],
        "requests": [link for link in as_elder if link.status == CareLink.Status.REQUESTED],
        "invited": [link for link in as_elder if link.status == CareLink.Status.INVITED],
        "ended": [link for link in as_elder if link.status in (CareLink.Status.REVOKED, CareLink.Status.DECLINED)],
        "cared_for": [link for link in as_caregiver if link.status == CareLink.Status.ACTIVE],
        "asked": [link for link in as_caregiver if link.status == CareLink.Status.REQUESTED],
        "waiting_token": token if waiting is not None and waiting.elder_id != request.user.pk else "",
    })


# --- The elder ----------------------------------------------------------------------------


@login_required
def invite(request):
    form = InviteForm(request.POST or None, initial={"rights": DEFAULT_RIGHTS,
                                                     "language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.care_link_invite(actor=request.user, email=data["email"], phone=form.phone_text,
                                      relationship=data["relationship"], rights=data["rights"],
                                      end_date=data["end_date"], language=data["language"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The invitation has been sent. When they accept it, they appear on this "
                                        "page."))
            return redirect("care:index")
    return render(request, "care/invite.html", {"form": form}, status=_status(form))


@login_required
def change(request, link_id: int):
    link = selectors.link_of_elder(request.user, link_id)
    if link is None or link.status not in (CareLink.Status.ACTIVE, CareLink.Status.INVITED):
        raise Http404
    form = RightsForm(request.POST or None, initial={"rights": link.rights, "end_date": link.end_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.care_link_change(actor=request.user, link_id=link.pk, rights=form.cleaned_data["rights"],
                                      end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes apply from now on."))
            return redirect("care:index")
    return render(request, "care/change.html", {"form": form, "link": link}, status=_status(form))


@login_required
def answer(request, link_id: int):
    """The elder answers a caregiver's request: accept with chosen rights, or decline."""
    link = selectors.link_of_elder(request.user, link_id)
    if link is None or link.status != CareLink.Status.REQUESTED:
        raise Http404
    accept = request.POST.get("answer") != "decline"
    form = RightsForm(request.POST if request.method == "POST" and accept else None,
                      initial={"rights": DEFAULT_RIGHTS})
    if request.method == "POST" and (not accept or form.is_valid()):
        try:
            services.care_link_answer_request(
                actor=request.user, link_id=link.pk, accept=accept,
                rights=form.cleaned_data["rights"] if accept else (),
                end_date=form.cleaned_data["end_date"] if accept else None)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s can now act for you as you chose.") % {
                "name": link.caregiver.display_name} if accept else _("You declined the request."))
            return redirect("care:index")
    return render(request, "care/answer.html", {"form": form, "link": link}, status=_status(form))


@login_required
@require_POST
def revoke(request, link_id: int):
    try:
        link = services.care_link_revoke(actor=request.user, link_id=link_id)
    except PermissionDenied as error:
        raise Http404 from error
    if link.elder_id == request.user.pk:
        messages.success(request, _("Done: from now on they can no longer act for you or receive copies of your "
                                    "messages."))
    else:
        messages.success(request, _("You no longer act for %(name)s.") % {"name": link.elder.display_name})
    return redirect("care:index")


@login_required
def paper_consent(request, link_id: int):
    """The signed paper consent of a relationship a centre recorded: for the elder,
    and for staff of that centre while the elder consents to it (logged)."""
    from portal.centres.models import AccessWhat
    from portal.centres.selectors import case_reason, centre_of, staff_can_assist
    from portal.centres.services import access_log_record

    link = CareLink.objects.select_related("elder", "paper_consent").filter(
        pk=link_id, paper_consent__isnull=False).first()
    if link is None:
        raise Http404
    if link.elder_id != request.user.pk:
        centre = centre_of(request.user)
        if centre is None or centre.pk != link.centre_id or not staff_can_assist(request.user, link.elder):
            raise Http404
        why = case_reason(request, link.elder_id)
        if not why:
            return redirect(reverse("centres:case_open", args=[link.elder_id]) + "?"
                            + urlencode({"next": request.get_full_path()}))
        access_log_record(staff=request.user, resident=link.elder, what=AccessWhat.CARE_CONSENT, why=why)
    document = link.paper_consent
    path = services.paper_consent_path(document)
    if not path.is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=document.content_type,  # noqa: SIM115
                            as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The caregiver ----------------------------------------------------------------------------


@login_required
def ask(request):
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_link_request(actor=request.user, email=form.cleaned_data["email"],
                                       relationship=form.cleaned_data["relationship"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # The same words whether or not the address has an account.
            messages.success(request, _("Your request has been recorded. If the address belongs to a portal "
                                        "account, its holder is asked; you will see here when they answer."))
            return redirect("care:index")
    return render(request, "care/ask.html", {"form": form}, status=_status(form))


def invitation(request, token: str):
    """An invitation link from an e-mail or SMS. Signed out: sign in or create an
    account first (the token waits in the session). Signed in: accept or decline."""
    link = selectors.invitation_for(token)
    if not request.user.is_authenticated:
        if link is not None:
            request.session[SESSION_INVITATION] = token
        login = reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})
        signup = reverse("account_signup") + "?" + urlencode({"next": request.get_full_path()})
        return render(request, "care/invitation.html", {"link": link, "login_url": login, "signup_url": signup},
                      status=200 if link else 404)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.care_link_decline_invitation(actor=request.user, token=token)
                messages.success(request, _("You declined the invitation."))
                request.session.pop(SESSION_INVITATION, None)
                return redirect("care:index")
            accepted = services.care_link_accept_invitation(actor=request.user, token=token)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            request.session.pop(SESSION_INVITATION, None)
            messages.success(request, _("You now care for %(name)s.") % {"name": accepted.elder.display_name})
            return redirect("care:hub", resident_id=accepted.elder_id)
    return render(request, "care/invitation.html", {"link": link, "error": error},
                  status=400 if error else 200 if link else 404)


@login_required
def hub(request, resident_id: int):
    """"Acting as": what the caregiver may do for this person, with links."""
    User = get_user_model()
    elder = User.objects.select_related("profile").filter(pk=resident_id, is_active=True).first()
    link = selectors.live_link_between(request.user, elder) if elder is not None else None
    if link is None:
        if elder is not None and selectors.refusal_for(request.user, elder):
            return render(request, "care/refused.html", {"message": _(
                "You no longer act for %(name)s: they ended the arrangement, or it has ended.") % {
                    "name": elder.display_name}}, status=403)
        raise Http404
    return render(request, "care/hub.html", {"link": link, "elder": elder, "profile": getattr(elder, "profile", None),
                                             "Right": Right})


# --- Centre staff ----------------------------------------------------------------------------------


@login_required
def record(request, resident_id: int):
    """Centre staff record a relationship for a consenting resident, on their signed
    paper consent. Staff give a reason for opening the case first, as everywhere."""
    from portal.centres.selectors import assisted_resident, case_reason

    resident = assisted_resident(request.user, resident_id)
    if resident is None:
        raise Http404
    if not case_reason(request, resident.pk):
        return redirect(reverse("centres:case_open", args=[resident.pk]) + "?"
                        + urlencode({"next": request.get_full_path()}))
    form = RecordForm(request.POST or None, request.FILES or None,
                      initial={"rights": DEFAULT_RIGHTS, "language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.care_link_record(actor=request.user, elder=resident, email=data["email"], phone=form.phone_text,
                                      relationship=data["relationship"], rights=data["rights"],
                                      end_date=data["end_date"], language=data["language"],
                                      upload=data["consent_form"])
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("Recorded. The caregiver has been invited, and %(name)s has been told.")
                             % {"name": resident.display_name})
            return redirect("centres:case", resident_id=resident.pk)
    return render(request, "care/record.html", {"form": form, "resident": resident}, status=_status(form))
