"""The demo data registry. `manage.py load_demo_data` calls `load()` of every
portal app that has a demo.py, in INSTALLED_APPS order, inside one transaction.
Each loader must be idempotent (get_or_create / update_or_create on natural keys).
A demo module may set ORDER (default 50) to run before or after others: places
first (hospitals 10, centres 20), then people (accounts 30), then activity.
A module may also define `load_late()`: every `load_late()` runs after every
`load()` (in the same ORDER), for activity that needs other apps' people."""

from importlib import import_module

from django.apps import apps
from django.db import transaction

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published demo accounts only


def loaders():
    found = []
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("portal."):
            continue
        try:
            module = import_module(f"{app_config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.demo":
                raise
            continue
        if not hasattr(module, "load"):
            continue  # this registry itself
        found.append((getattr(module, "ORDER", 50), app_config.label, module))
    ordered = sorted(found, key=lambda item: item[0])
    # centres: load_late() runs after every load() (added for the centres demo activity).
    return [(label, module.load) for _order, label, module in ordered] + [
        (f"{label} (late)", module.load_late) for _order, label, module in ordered if hasattr(module, "load_late")
    ]


@transaction.atomic
def load_all(stdout=None) -> None:
    for label, load in loaders():
        summary = load()
        if stdout is not None and summary:
            stdout.write(f"  {label}: {summary}")
