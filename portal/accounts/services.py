"""Writes for accounts."""

from django.db import transaction

from .models import Profile, User


def profile_get_or_create(*, user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, form) -> Profile:
    """Save a validated ProfileForm for `user`. The form has already normalised
    identity numbers; the database constraints are the last word on uniqueness."""
    profile = form.save(commit=False)
    profile.user = user
    profile.save()
    return profile


@transaction.atomic
def preferences_update(*, user: User, form) -> User:
    return form.save()
