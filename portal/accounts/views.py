from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import PreferencesForm, ProfileForm


@login_required
def profile(request):
    profile = services.profile_get_or_create(user=request.user)
    return render(request, "accounts/profile.html", {"profile": profile})


@login_required
def profile_edit(request):
    profile = services.profile_get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, form=form)
        except IntegrityError:
            # Two accounts raced for the same document number: the constraint won.
            form.add_error(None, _("This identity document is already registered to another account."))
        else:
            messages.success(request, _("Your details have been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, form=form)
        messages.success(request, _("Your preferences have been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/preferences.html", {"form": form}, status=400 if form.errors else 200)
