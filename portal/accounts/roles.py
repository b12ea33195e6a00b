"""Roles are groups with permissions plus a membership row that sets the scope.

- Resident: the default; no group.
- Hospital admin: group HOSPITAL_ADMINS, is_staff (Django admin), one or more
  hospitals.HospitalMembership rows; the admin shows only those hospitals' data.
- Service-centre staff: group CENTRE_STAFF, one centres.CentreMembership row; their
  own pages at /<lang>/centre/, scoped to residents who consent to that centre.
- Superuser: everything.

Each domain app grants its permissions to these groups in a data migration that
calls `grant_permissions`, so a fresh database has complete roles.
"""

from django.db import transaction

HOSPITAL_ADMINS = "Hospital admins"
CENTRE_STAFF = "Service-centre staff"

# What each role may do in the Django admin, by app. The data migrations grant
# these when the tables are created; `sync_role_groups` re-applies the table
# after every migrate/flush (a flush empties auth tables, e.g. between
# transactional tests), so the roles are always complete.
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    HOSPITAL_ADMINS: {
        "hospitals": ["view_hospital", "change_hospital", "view_department", "add_department",
                      "change_department", "delete_department", "view_hospitalalias", "add_hospitalalias",
                      "change_hospitalalias", "delete_hospitalalias", "view_city", "view_borderpoint", "view_specialty"],
        "medicines": ["view_connectitem", "view_itemapproval", "view_therapeuticarea", "view_connectitemalias"],
        "appointments": ["view_bookingsettings", "add_bookingsettings", "change_bookingsettings",
                         "view_sessiontemplate", "add_sessiontemplate", "change_sessiontemplate",
                         "delete_sessiontemplate", "view_closure", "add_closure", "change_closure",
                         "delete_closure", "view_slot", "add_slot", "change_slot", "view_appointment",
                         "change_appointment", "view_waitlistentry"],
        "transfers": ["view_route", "change_route", "view_transferrequest", "view_transferevent"],
        "vouchers": ["view_claim"],
        # Their own hospitals' visit facts (portal/visits/admin.py scopes them).
        "visits": [f"{action}_{model}" for action in ("view", "add", "change", "delete")
                   for model in ("hospitalvisitinfo", "departmentlocation", "crossingroute")],
    },
    CENTRE_STAFF: {
        "hospitals": ["view_hospital", "view_department"],
        "appointments": ["view_appointment"],
    },
}


def sync_role_groups(**kwargs) -> None:
    """post_migrate handler: create the role groups and give them their permissions
    (those whose tables exist; the rest follow on the next app's signal)."""
    from django.contrib.auth.models import Group, Permission

    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def grant_permissions(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """For data migrations: make sure the group exists and holds these permissions
    of `app_label` (creating the permission rows, which Django otherwise only
    creates after all migrations have run)."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    # Migration-state app configs have no models module; create_permissions
    # skips such apps unless we pretend they have one.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)


@transaction.atomic
def hospital_admin_add(*, user, hospital) -> None:
    from django.contrib.auth.models import Group

    from portal.hospitals.models import HospitalMembership

    HospitalMembership.objects.get_or_create(user=user, hospital=hospital)
    user.groups.add(Group.objects.get(name=HOSPITAL_ADMINS))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def centre_staff_add(*, user, centre, is_manager: bool = False) -> None:
    from django.contrib.auth.models import Group

    from portal.centres.models import CentreMembership

    CentreMembership.objects.update_or_create(user=user, defaults={"centre": centre, "is_manager": is_manager})
    user.groups.add(Group.objects.get(name=CENTRE_STAFF))
