import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "hospitals", "centres", "medicines", "appointments",
                                     "vouchers", "transfers", "notifications", "mfa", "account"}
    }


def test_load_demo_data_is_idempotent_and_has_every_role(capsys):
    call_command("load_demo_data")
    first = _row_counts()
    call_command("load_demo_data")
    assert _row_counts() == first
    output = capsys.readouterr().out
    for email in ("resident@example.com", "hospital.admin@example.com", "centre.staff@example.com", "admin@example.com"):
        assert email in output
    assert first["hospitals.City"] == 11
    assert first["hospitals.BorderPoint"] >= 7
    assert first["centres.ServiceCentre"] >= 1
