"""The in-portal inbox: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def detail(request, notification_id: int):
    notification = selectors.notification_for(request.user, notification_id)
    if not notification.is_read:
        services.mark_read(user=request.user, notification_ids=[notification.pk])
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")
